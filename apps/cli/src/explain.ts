import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  UnprocessableEntityError,
} from '@attend/sdk';
import { InputError, UsageError } from './cli-errors.ts';

/** What to print for a failure, and the exit status. */
export interface Explanation {
  readonly message: string;
  readonly exitCode: number;
}

// 128 + SIGINT, as shells report an interrupted command.
const INTERRUPTED = 130;

/** Turns any failure into one line that says what went wrong and what to do about it. */
export function explain(error: unknown, context: { readonly url: string | undefined }): Explanation {
  if (error instanceof UsageError) return { message: `${error.message}\nRun \`translate --help\` for the options.`, exitCode: 2 };
  if (error instanceof InputError) return { message: error.message, exitCode: 1 };
  if (error instanceof APIUserAbortError) return { message: 'Interrupted.', exitCode: INTERRUPTED };
  if (error instanceof APIError) return { message: withRequestID(explainAPIError(error, context.url), error), exitCode: 1 };
  return { message: `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`, exitCode: 1 };
}

function explainAPIError(error: APIError, url: string | undefined): string {
  // The server's sentence, without its full stop, so that the advice can follow it.
  const said = (error.error?.message ?? error.message).replace(/\.\s*$/, '');
  if (error instanceof APIConnectionTimeoutError) {
    return `No answer from ${url} in time. Retry, or allow more seconds with --timeout.`;
  }
  if (error instanceof APIConnectionError) {
    return `Cannot reach ${url} (${error.message.replace(/^Connection error: /, '')}). Check --url (or ATTEND_URL) and that the server is running.`;
  }
  if (error instanceof AuthenticationError) {
    return `The server refused the API key: ${said}. Pass a valid key with --api-key or set ATTEND_API_KEY.`;
  }
  if (error instanceof NotFoundError) {
    if (error.type === 'unsupported_language_pair') return `${said}. List the pairs with \`translate --languages\`.`;
    if (error.type === 'not_found') return `${said}. List the models with \`translate --models\`.`;
    return `${said}. Is ${url} an Attend server? Check --url (or ATTEND_URL).`;
  }
  if (error instanceof PayloadTooLargeError) return `${said}. Split the input into smaller files.`;
  if (error instanceof BadRequestError || error instanceof UnprocessableEntityError) {
    return `The server rejected the request: ${said}. Check --from, --to, --model, --beam and --max-tokens.`;
  }
  if (error instanceof RateLimitError) return `Too many requests: ${said}. Wait a moment and run the command again.`;
  if (error instanceof InternalServerError) {
    if (error.type === 'model_unavailable') return `The model is not available right now: ${said}. Retry later.`;
    return `The server failed (${error.status}): ${said}. Retry later; report it with the request id if it persists.`;
  }
  // No status: an `error` event that ended a stream.
  if (error.status === undefined) return `The translation failed mid-way: ${said}. Run the command again.`;
  return `The server answered ${error.status}: ${said}.`;
}

function withRequestID(message: string, error: APIError): string {
  return error.requestID ? `${message} (request id ${error.requestID})` : message;
}
