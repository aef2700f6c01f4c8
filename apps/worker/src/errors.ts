// One error vocabulary: every failure leaves the worker as `{ error: { type, message } }` with the
// status that protocol's ERROR_STATUS gives its type. Never a stack trace.
import { ERROR_STATUS, type ErrorBody, type ErrorType } from '@attend/protocol';
import type { Hook } from '@hono/zod-openapi';
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './app-env.ts';
import { ModelUnavailableError } from './models/model-error.ts';

export class ApiError extends HTTPException {
  constructor(
    readonly type: ErrorType,
    message: string,
    /** Sent with the error body, e.g. `Retry-After` on a 429. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(ERROR_STATUS[type] as ContentfulStatusCode, { message });
  }
}

const TYPE_OF_STATUS: Record<number, ErrorType> = {
  400: 'invalid_json',
  401: 'authentication_error',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'invalid_request',
  503: 'model_unavailable',
};

/** Maps anything thrown to the error vocabulary. Unknown errors are logged (no request data). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ModelUnavailableError) {
    return new ApiError('model_unavailable', `${error.message}. Try again later; the operator should re-upload the model.`);
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new ApiError('internal_error', 'the client closed the request'); // nobody reads this answer
  }
  if (error instanceof HTTPException) {
    const type = TYPE_OF_STATUS[error.status] ?? (error.status >= 500 ? 'internal_error' : 'invalid_request');
    const message = error.status === 415 ? 'unsupported Content-Type: send JSON (Content-Type: application/json)' : error.message;
    return new ApiError(type, message || type.replaceAll('_', ' '));
  }
  console.error('unhandled error', error instanceof Error ? `${error.name}: ${error.message}` : typeof error);
  return new ApiError('internal_error', 'internal error; retry, and report the request id if it persists');
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { type: error.type, message: error.message } };
}

export const onError: ErrorHandler = (error, c) => {
  const apiError = toApiError(error);
  return c.json(errorBody(apiError), apiError.status, apiError.headers);
};

export const notFound: NotFoundHandler = (c) =>
  c.json(errorBody(new ApiError('not_found', `no route ${c.req.method} ${new URL(c.req.url).pathname}; see /openapi.json`)), 404);

const TEXT_FIELDS = new Set<PropertyKey>(['text', 'q']);

interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly Issue[])[];
}

/** The issue to report: inside a union (`text: string | string[]`), the branch of the right type. */
function relevantIssue(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || !issue.errors) return issue;
  const branch = issue.errors.map((issues) => issues[0]).find((inner) => inner && inner.code !== 'invalid_type');
  return branch ? relevantIssue({ ...branch, path: [...issue.path, ...branch.path] }) : issue;
}

/** 422 naming the first bad field (413 when the problem is too much text). */
export function validationError(issues: readonly unknown[]): ApiError {
  const first = issues[0] as Issue | undefined;
  const issue = first && relevantIssue(first);
  const path = issue?.path.length ? issue.path.join('.') : 'body';
  const tooMuchText = issue?.code === 'too_big' && TEXT_FIELDS.has(issue.path[0] ?? '');
  return new ApiError(tooMuchText ? 'payload_too_large' : 'invalid_request', `${path}: ${issue?.message ?? 'invalid value'}`);
}

/** zod-openapi's hook for failed validation. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) throw validationError(result.error.issues);
};
