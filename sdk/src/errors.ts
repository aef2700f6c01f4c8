import type { ErrorBody, ErrorType } from './types.ts';

/** Base class of every error this SDK throws; `catch (e) { if (e instanceof AttendError) ... }` catches them all. */
export class AttendError extends Error {
  override readonly name: string = 'AttendError';
}

/**
 * An error reported by the API or on the way to it. `status` is the HTTP status (undefined when no
 * response arrived, or when the error came as an `error` event inside a stream), `requestID` the
 * server's request id (quote it when reporting a problem), `type` the protocol's error type.
 */
export class APIError extends AttendError {
  override readonly name: string = 'APIError';
  /** HTTP status of the response, or undefined when there was none. */
  readonly status: number | undefined;
  /** Response headers, or undefined when there was no response. */
  readonly headers: Headers | undefined;
  /** The `error` object of the response body, when the body had one. */
  readonly error: ErrorBody['error'] | undefined;
  /** The protocol's error type, e.g. `payload_too_large`. */
  readonly type: ErrorType | undefined;
  /** The server's request id (`x-request-id` header), or null. */
  readonly requestID: string | null;

  constructor(
    status: number | undefined,
    error: ErrorBody['error'] | undefined,
    message: string,
    headers: Headers | undefined,
    options?: ErrorOptions,
  ) {
    super(APIError.#describe(status, error, message), options);
    this.status = status;
    this.headers = headers;
    this.error = error;
    this.type = error?.type;
    this.requestID = headers?.get('x-request-id') ?? null;
  }

  static #describe(status: number | undefined, error: ErrorBody['error'] | undefined, message: string): string {
    const detail = error ? `${error.type}: ${error.message}` : message;
    return status === undefined ? detail : `${status} ${detail}`;
  }

  /**
   * The one factory of API errors: picks the subclass for `status`. `body` is the parsed response
   * body; when it is the protocol's `{error: {type, message}}`, its type and message are kept.
   */
  static generate(status: number | undefined, body: unknown, message: string, headers: Headers | undefined): APIError {
    const error = errorOf(body);
    switch (status) {
      case undefined:
        return new APIError(undefined, error, message, headers);
      case 400:
        return new BadRequestError(status, error, message, headers);
      case 401:
        return new AuthenticationError(status, error, message, headers);
      case 403:
        return new PermissionDeniedError(status, error, message, headers);
      case 404:
        return new NotFoundError(status, error, message, headers);
      case 409:
        return new ConflictError(status, error, message, headers);
      case 413:
        return new PayloadTooLargeError(status, error, message, headers);
      case 422:
        return new UnprocessableEntityError(status, error, message, headers);
      case 429:
        return new RateLimitError(status, error, message, headers);
    }
    if (status >= 500) return new InternalServerError(status, error, message, headers);
    return new APIError(status, error, message, headers);
  }
}

function errorOf(body: unknown): ErrorBody['error'] | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error: unknown = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  if (!('type' in error) || typeof error.type !== 'string') return undefined;
  if (!('message' in error) || typeof error.message !== 'string') return undefined;
  // The type is the server's word; a newer server may add types this SDK does not list yet.
  return { type: error.type as ErrorType, message: error.message };
}

/** The request was aborted by the caller (`signal`, `stream.abort()`, or leaving a `for await` loop). */
export class APIUserAbortError extends APIError {
  override readonly name: string = 'APIUserAbortError';
  constructor(options?: ErrorOptions) {
    super(undefined, undefined, 'Request was aborted.', undefined, options);
  }
}

/** No response arrived: DNS, refused connection, reset, or a body cut off mid-way. Retried. */
export class APIConnectionError extends APIError {
  override readonly name: string = 'APIConnectionError';
  constructor(message = 'Connection error.', options?: ErrorOptions) {
    super(undefined, undefined, message, undefined, options);
  }
}

/** No response within the client's `timeout`. Retried. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override readonly name: string = 'APIConnectionTimeoutError';
  constructor(message = 'Request timed out; raise `timeout` in the client or request options.') {
    super(message);
  }
}

/** 400: the request is malformed; its message says which field. */
export class BadRequestError extends APIError { override readonly name: string = 'BadRequestError'; }
/** 401: missing or wrong API key. */
export class AuthenticationError extends APIError { override readonly name: string = 'AuthenticationError'; }
/** 403: the key may not do this. */
export class PermissionDeniedError extends APIError { override readonly name: string = 'PermissionDeniedError'; }
/** 404: no such route, model or language pair. */
export class NotFoundError extends APIError { override readonly name: string = 'NotFoundError'; }
/** 409: conflicts with the server's state (e.g. a model still loading). Retried. */
export class ConflictError extends APIError { override readonly name: string = 'ConflictError'; }
/** 413: the text is longer than the server accepts; split it. */
export class PayloadTooLargeError extends APIError { override readonly name: string = 'PayloadTooLargeError'; }
/** 422: well-formed but unprocessable (e.g. an unsupported language pair). */
export class UnprocessableEntityError extends APIError { override readonly name: string = 'UnprocessableEntityError'; }
/** 429: too many requests. Retried after `retry-after`. */
export class RateLimitError extends APIError { override readonly name: string = 'RateLimitError'; }
/** 5xx: the server failed. Retried. */
export class InternalServerError extends APIError { override readonly name: string = 'InternalServerError'; }
