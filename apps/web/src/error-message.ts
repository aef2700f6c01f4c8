// What the page says when something fails: a sentence a reader can act on, never a stack. The SDK's
// classes tell the cases apart; the request id, when the server sent one, is kept for bug reports.
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
} from '@attend/sdk';
import { languageName } from './language-pickers.ts';

/** What the page knows about the request that failed. */
export interface FailedRequest {
  /** The language pair asked for, named in the message when no model serves it. */
  readonly pair?: { readonly source: string; readonly target: string } | undefined;
  /** Whether the request carried an API key: a 401 then means a wrong key, not a missing one. */
  readonly withKey: boolean;
}

export function describeError(error: unknown, request: FailedRequest): string {
  if (!(error instanceof APIError)) {
    const detail = error instanceof Error ? error.message : String(error);
    return `Something went wrong in this page (${detail}). Reload it and try again.`;
  }
  return withRequestId(sentenceFor(error, request), error.requestID);
}

// Subclasses before their parents: a timeout is a connection error, every class here is an APIError.
function sentenceFor(error: APIError, { pair, withKey }: FailedRequest): string {
  if (error instanceof APIConnectionTimeoutError) return 'The server took too long to answer. Try again, or shorten the text.';
  if (error instanceof APIConnectionError) return 'Cannot reach the translation server. Check your connection, then try again.';
  if (error instanceof AuthenticationError) {
    return withKey
      ? 'The server refused this API key. Check it under “API key” below.'
      : 'This server needs an API key. Enter it under “API key” below.';
  }
  if (error instanceof NotFoundError && error.type === 'unsupported_language_pair') {
    const names = pair ? `${languageName(pair.source)} into ${languageName(pair.target)}` : 'this language pair';
    return `No model translates ${names} yet. Pick another pair.`;
  }
  if (error instanceof PayloadTooLargeError) return 'The text is too long for one request. Split it into shorter parts.';
  if (error instanceof RateLimitError) return 'Too many requests right now. Wait a few seconds, then try again.';
  if (error instanceof InternalServerError) {
    return error.type === 'model_unavailable'
      ? 'The translation model could not be loaded. Try again in a moment.'
      : 'The server failed to translate this text. Try again in a moment.';
  }
  // An `error` event mid-stream arrives without a status; the server's message names the cause.
  if (error.status === undefined) return `The translation stopped halfway: ${serverWords(error)}. Try again.`;
  return `The server refused the request: ${serverWords(error)}.`;
}

function serverWords(error: APIError): string {
  return (error.error?.message ?? error.message).replace(/[.\s]+$/, '');
}

function withRequestId(sentence: string, requestID: string | null): string {
  return requestID ? `${sentence} (Request id ${requestID}.)` : sentence;
}
