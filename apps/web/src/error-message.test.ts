import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@attend/sdk';
import { describe, expect, it } from 'vitest';
import { describeError } from './error-message.ts';

const withId = new Headers({ 'x-request-id': 'req-42' });
const body = (type: string, message: string) => ({ error: { type, message } });

describe('describeError', () => {
  it('names the pair no model serves, and keeps the request id', () => {
    const error = APIError.generate(404, body('unsupported_language_pair', 'no model for en -> fr'), 'not found', withId);
    expect(describeError(error, { pair: { source: 'en', target: 'fr' }, withKey: false })).toBe(
      'No model translates English into French yet. Pick another pair. (Request id req-42.)',
    );
  });

  it('tells a missing key from a refused one', () => {
    const error = APIError.generate(401, body('authentication_error', 'missing API key'), 'unauthorized', undefined);
    expect(describeError(error, { withKey: false })).toBe('This server needs an API key. Enter it under “API key” below.');
    expect(describeError(error, { withKey: true })).toBe('The server refused this API key. Check it under “API key” below.');
  });

  it('says what to do when the server cannot be reached or is slow', () => {
    expect(describeError(new APIConnectionError(), { withKey: false })).toMatch(/^Cannot reach the translation server\./);
    expect(describeError(new APIConnectionTimeoutError(), { withKey: false })).toMatch(/^The server took too long to answer\./);
  });

  it('words server failures, before and during a stream', () => {
    const unavailable = APIError.generate(503, body('model_unavailable', 'R2 read failed'), 'unavailable', undefined);
    expect(describeError(unavailable, { withKey: false })).toBe('The translation model could not be loaded. Try again in a moment.');
    const midStream = APIError.generate(undefined, body('internal_error', 'decoding failed.'), 'decoding failed', undefined);
    expect(describeError(midStream, { withKey: false })).toBe('The translation stopped halfway: decoding failed. Try again.');
    const invalid = APIError.generate(422, body('invalid_request', 'options.max_tokens: too big'), 'invalid', undefined);
    expect(describeError(invalid, { withKey: false })).toBe('The server refused the request: options.max_tokens: too big.');
  });

  it('shows a bug in the page as one sentence, not a stack', () => {
    const message = describeError(new TypeError('x is undefined'), { withKey: false });
    expect(message).toBe('Something went wrong in this page (x is undefined). Reload it and try again.');
  });
});
