import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AttendError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from './errors.ts';

describe('APIError.generate', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [413, PayloadTooLargeError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [599, InternalServerError],
  ])('maps %i to %o', (status, Class) => {
    const error = APIError.generate(status, undefined, 'oops', new Headers());
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(AttendError);
    expect(error.name).toBe(Class.name);
    expect(error.status).toBe(status);
  });

  it('keeps other statuses as a plain APIError', () => {
    const error = APIError.generate(405, undefined, 'Method Not Allowed', undefined);
    expect(error.constructor).toBe(APIError);
    expect(error.message).toBe('405 Method Not Allowed');
  });

  it('reads the protocol error body and the request id', () => {
    const body = { error: { type: 'unsupported_language_pair', message: 'no model translates en -> xx; see GET /v1/languages' } };
    const error = APIError.generate(404, body, '{...}', new Headers({ 'x-request-id': 'req_42' }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.type).toBe('unsupported_language_pair');
    expect(error.error).toEqual(body.error);
    expect(error.requestID).toBe('req_42');
    expect(error.message).toBe('404 unsupported_language_pair: no model translates en -> xx; see GET /v1/languages');
  });

  it('ignores a body that is not the protocol error shape', () => {
    const error = APIError.generate(502, { error: 'Bad gateway' }, '<html>Bad gateway</html>', new Headers());
    expect(error.type).toBeUndefined();
    expect(error.requestID).toBeNull();
    expect(error.message).toBe('502 <html>Bad gateway</html>');
  });

  it('builds an APIError without status for a stream error event', () => {
    const error = APIError.generate(undefined, { error: { type: 'internal_error', message: 'decoder failed' } }, '', undefined);
    expect(error.constructor).toBe(APIError);
    expect(error.status).toBeUndefined();
    expect(error.message).toBe('internal_error: decoder failed');
  });
});

describe('errors without a response', () => {
  it('form one family under APIError', () => {
    const timeout = new APIConnectionTimeoutError();
    expect(timeout).toBeInstanceOf(APIConnectionError);
    expect(timeout.name).toBe('APIConnectionTimeoutError');
    expect(timeout.message).toMatch(/raise `timeout`/);
    const abort = new APIUserAbortError({ cause: 'user' });
    expect(abort).toBeInstanceOf(APIError);
    expect(abort.status).toBeUndefined();
    expect(abort.cause).toBe('user');
    expect(new APIConnectionError('Connection error: refused', { cause: 1 }).cause).toBe(1);
  });
});
