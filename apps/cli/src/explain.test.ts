import { APIConnectionTimeoutError, APIError } from '@attend/sdk';
import { describe, expect, it } from 'vitest';
import { explain } from './explain.ts';

const url = 'http://localhost:8787';
const headers = new Headers({ 'x-request-id': 'req_7' });
const apiError = (status: number, type: string, message: string) =>
  APIError.generate(status, { error: { type, message } }, '', headers);

describe('explain', () => {
  it.each([
    [apiError(413, 'payload_too_large', 'the body is over 262144 bytes.'), 'the body is over 262144 bytes. Split the input into smaller files. (request id req_7)'],
    [
      apiError(422, 'invalid_request', 'options.beam_size: too big'),
      'The server rejected the request: options.beam_size: too big. Check --from, --to, --model, --beam and --max-tokens. (request id req_7)',
    ],
    [apiError(429, 'rate_limited', 'slow down'), 'Too many requests: slow down. Wait a moment and run the command again. (request id req_7)'],
    [apiError(503, 'model_unavailable', 'en-es is corrupt in storage'), 'The model is not available right now: en-es is corrupt in storage. Retry later. (request id req_7)'],
    [
      apiError(500, 'internal_error', 'internal error'),
      'The server failed (500): internal error. Retry later; report it with the request id if it persists. (request id req_7)',
    ],
    [apiError(405, 'method_not_allowed', 'use POST'), 'The server answered 405: use POST. (request id req_7)'],
    [apiError(404, 'not_found', 'no route GET /v1/x'), 'no route GET /v1/x. List the models with `translate --models`. (request id req_7)'],
    [APIError.generate(404, '<html>', 'Not Found', undefined), '404 Not Found. Is http://localhost:8787 an Attend server? Check --url (or ATTEND_URL).'],
    [new APIConnectionTimeoutError(), 'No answer from http://localhost:8787 in time. Retry, or allow more seconds with --timeout.'],
    [new Error('boom'), 'Unexpected failure: boom'],
  ])('%s', (error, message) => {
    expect(explain(error, { url })).toEqual({ message, exitCode: 1 });
  });
});
