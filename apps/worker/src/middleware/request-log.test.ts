import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { ApiError, onError } from '../errors.ts';
import { ModelUnavailableError } from '../models/model-error.ts';
import { requestLog } from './request-log.ts';

const TEXT = 'Meet me at the old bridge at noon.';
const KEY = 'sk-test-0123456789abcdef';

function testApp(streamEnded: Promise<void>) {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(requestLog());
  app.post('/translate', async (c) => {
    const body = await c.req.json<{ text: string }>();
    // A route that passes more than it should: only the log's own fields are written.
    c.set('logFields', { model: 'en-es-tiny', input_tokens: 9, output_tokens: 11, ...{ text: body.text, key: KEY } });
    return c.json({ text: body.text.toUpperCase() });
  });
  app.get('/broken', () => {
    throw new ModelUnavailableError('en-fr-tiny', 'manifest.json is missing');
  });
  app.get('/bad', () => {
    throw new ApiError('invalid_request', `text: ${TEXT}`);
  });
  app.get('/stream', (c) => {
    c.set('logAfter', streamEnded.then(() => c.set('logFields', { model: 'en-es-tiny', input_tokens: 1, output_tokens: 5 })));
    return c.body('event: start\n\n');
  });
  app.onError(onError);
  return app;
}

describe('requestLog', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  });
  afterEach(() => vi.restoreAllMocks());
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes one JSON line per request with status, ms, request id and what the route reported; never a text or key', async () => {
    const app = testApp(Promise.resolve());
    const response = await app.request('/translate?api_key=' + KEY, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'X-Request-Id': 'trace-1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: TEXT }),
    });
    expect(response.status).toBe(200);
    expect(parsed()).toEqual([
      { event: 'request', request_id: 'trace-1', method: 'POST', path: '/translate', status: 200, ms: expect.any(Number), model: 'en-es-tiny', input_tokens: 9, output_tokens: 11 },
    ]);
    expect(lines.join('\n')).not.toMatch(new RegExp(`${KEY}|${TEXT}|old bridge|Bearer`, 'i'));
  });

  it('logs failures with their status and error type, and the model that was unavailable', async () => {
    const app = testApp(Promise.resolve());
    expect((await app.request('/broken')).status).toBe(503);
    expect((await app.request('/bad')).status).toBe(422);
    expect((await app.request('/nowhere')).status).toBe(404);
    expect(parsed()).toEqual([
      expect.objectContaining({ path: '/broken', status: 503, error: 'model_unavailable', model: 'en-fr-tiny' }),
      expect.objectContaining({ path: '/bad', status: 422, error: 'invalid_request' }),
      expect.objectContaining({ path: '/nowhere', status: 404 }),
    ]);
    expect(lines.join('\n')).not.toContain('old bridge'); // an error message may quote the request; it is not logged
  });

  it('waits for a stream to end, then logs what the route reported at its end', async () => {
    let end!: () => void;
    const app = testApp(new Promise<void>((resolve) => (end = resolve)));
    const response = await app.request('/stream');
    expect(response.status).toBe(200);
    expect(lines).toEqual([]);
    end();
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(parsed()[0]).toMatchObject({ path: '/stream', status: 200, model: 'en-es-tiny', output_tokens: 5 });
  });
});
