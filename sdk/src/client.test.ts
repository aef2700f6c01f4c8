import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client } from './client.ts';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AttendError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from './errors.ts';
import { fakeFetch, json, recordingSleep, type SeenRequest } from './test-support.ts';
import type { TranslateResponse } from './types.ts';

const ANSWER: TranslateResponse = {
  translations: [{ text: 'Buenos días', usage: { input_tokens: 3, output_tokens: 4 }, finish_reason: 'stop' }],
  model: 'en-es',
  source: 'en',
  target: 'es',
  usage: { input_tokens: 3, output_tokens: 4 },
};

const unavailable = () =>
  json(503, { error: { type: 'model_unavailable', message: 'retry later' } }, { 'x-request-id': 'req_1' });

function hangUntilAborted(request: SeenRequest): Promise<Response> {
  return new Promise((_, reject) =>
    request.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
  );
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Client', () => {
  it('posts a translate request and returns the typed answer', async () => {
    const { fetch, requests } = fakeFetch([() => json(200, ANSWER)]);
    const client = new Client({ baseURL: 'https://api.test/prefix/', apiKey: 'k1', fetch, defaultHeaders: { 'X-App': 'a' } });
    const answer = await client.translate({ text: 'Good morning', target: 'es', options: { beam_size: 4 } }, { headers: { 'x-trace': 't' } });
    expect(answer).toEqual(ANSWER);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: 'https://api.test/prefix/v1/translate',
      method: 'POST',
      body: { text: 'Good morning', target: 'es', options: { beam_size: 4 }, stream: false },
      headers: {
        authorization: 'Bearer k1',
        'content-type': 'application/json',
        accept: 'application/json',
        'x-app': 'a',
        'x-trace': 't',
      },
    });
  });

  it('sends no authorization header without an API key', async () => {
    vi.stubEnv('ATTEND_API_KEY', '');
    const { fetch, requests } = fakeFetch([() => json(200, { models: [] })]);
    await new Client({ baseURL: 'http://localhost:8787', fetch }).models.list();
    expect(requests[0]?.headers.authorization).toBeUndefined();
    expect(requests[0]).toMatchObject({ url: 'http://localhost:8787/v1/models', method: 'GET', body: undefined });
  });

  it('calls fetch detached, as a native fetch requires', async () => {
    // A browser's fetch called as a method of another object throws "Illegal invocation".
    function nativeLikeFetch(this: unknown): Promise<Response> {
      if (this !== undefined) return Promise.reject(new TypeError('Illegal invocation'));
      return Promise.resolve(json(200, { models: [] }));
    }
    expect(await new Client({ baseURL: 'http://x', fetch: nativeLikeFetch, maxRetries: 0 }).models.list()).toEqual({ models: [] });
  });

  it('lists models and languages and retrieves a model by escaped id', async () => {
    const model = { id: 'en/es', source: 'en', target: 'es', created: '2026-01-01T00:00:00Z', size_bytes: 1, loaded: false };
    const languages = { languages: ['en', 'es'], pairs: [{ source: 'en', target: 'es', model: 'en-es' }] };
    const { fetch, requests } = fakeFetch([() => json(200, { models: [model] }), () => json(200, model), () => json(200, languages)]);
    const client = new Client({ baseURL: 'http://x', fetch });
    expect(await client.models.list()).toEqual({ models: [model] });
    expect(await client.models.retrieve('en/es')).toEqual(model);
    expect(await client.languages.list()).toEqual(languages);
    expect(requests.map((r) => r.url)).toEqual(['http://x/v1/models', 'http://x/v1/models/en%2Fes', 'http://x/v1/languages']);
  });

  it('retries a 503 with backoff, then succeeds', async () => {
    const { sleep, delays } = recordingSleep();
    const { fetch, requests } = fakeFetch([unavailable, unavailable, () => json(200, ANSWER)]);
    const client = new Client({ baseURL: 'http://x', fetch, sleep, maxRetries: 2 });
    expect(await client.translate({ text: 'a', target: 'es' })).toEqual(ANSWER);
    expect(requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(375);
    expect(delays[0]).toBeLessThanOrEqual(500);
    expect(delays[1]).toBeGreaterThanOrEqual(750);
    expect(delays[1]).toBeLessThanOrEqual(1000);
  });

  it('waits as long as retry-after says on a 429', async () => {
    const { sleep, delays } = recordingSleep();
    const { fetch } = fakeFetch([
      () => json(429, {}, { 'retry-after': '7' }),
      () => json(429, {}, { 'retry-after-ms': '30' }),
      () => json(200, ANSWER),
    ]);
    await new Client({ baseURL: 'http://x', fetch, sleep }).translate({ text: 'a', target: 'es' });
    expect(delays).toEqual([7000, 30]);
  });

  it('throws the last error, with status, type and request id, once retries run out', async () => {
    const { sleep } = recordingSleep();
    const { fetch, requests } = fakeFetch([unavailable, unavailable]);
    const error = await new Client({ baseURL: 'http://x', fetch, sleep, maxRetries: 1 })
      .translate({ text: 'a', target: 'es' })
      .catch((e: unknown) => e);
    expect(requests).toHaveLength(2);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, type: 'model_unavailable', requestID: 'req_1' });
  });

  it('does not retry a client error', async () => {
    const { sleep, delays } = recordingSleep();
    const body = { error: { type: 'invalid_json', message: 'body is not JSON' } };
    const { fetch, requests } = fakeFetch([() => json(400, body), () => json(404, {})]);
    const client = new Client({ baseURL: 'http://x', fetch, sleep });
    await expect(client.translate({ text: 'a', target: 'es' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(NotFoundError);
    expect(requests).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it('retries connection failures and reports the cause', async () => {
    const { sleep } = recordingSleep();
    const refused = () => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }));
    const { fetch, requests } = fakeFetch([refused, refused, refused]);
    const error = await new Client({ baseURL: 'http://x', fetch, sleep }).languages.list().catch((e: unknown) => e);
    expect(requests).toHaveLength(3);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe('Connection error: fetch failed (connect ECONNREFUSED)');
  });

  it('times out an attempt and retries it', async () => {
    const { sleep } = recordingSleep();
    const { fetch, requests } = fakeFetch([hangUntilAborted, () => json(200, ANSWER)]);
    const client = new Client({ baseURL: 'http://x', fetch, sleep, timeout: 10 });
    expect(await client.translate({ text: 'a', target: 'es' })).toEqual(ANSWER);
    expect(requests[0]?.signal.aborted).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it('throws APIConnectionTimeoutError when every attempt times out', async () => {
    const { fetch } = fakeFetch([hangUntilAborted]);
    const client = new Client({ baseURL: 'http://x', fetch, timeout: 10, maxRetries: 0 });
    await expect(client.models.list()).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('times out a body that stalls after the headers', async () => {
    const { fetch } = fakeFetch([
      ({ signal }) =>
        new Response(
          new ReadableStream({
            start: (c) => signal.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError'))),
          }),
        ),
    ]);
    const client = new Client({ baseURL: 'http://x', fetch, timeout: 10, maxRetries: 0 });
    await expect(client.models.list()).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('aborts on the caller signal without retrying', async () => {
    const { fetch, requests } = fakeFetch([hangUntilAborted]);
    const controller = new AbortController();
    const pending = new Client({ baseURL: 'http://x', fetch }).translate({ text: 'a', target: 'es' }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(requests).toHaveLength(1);
    await expect(new Client({ baseURL: 'http://x', fetch }).models.list({ signal: controller.signal })).rejects.toBeInstanceOf(
      APIUserAbortError,
    );
    expect(requests).toHaveLength(1);
  });

  it('honours per-request maxRetries', async () => {
    const { sleep } = recordingSleep();
    const { fetch, requests } = fakeFetch([() => json(429, {}), () => json(429, {})]);
    const client = new Client({ baseURL: 'http://x', fetch, sleep, maxRetries: 5 });
    await expect(client.models.list({ maxRetries: 1 })).rejects.toBeInstanceOf(RateLimitError);
    expect(requests).toHaveLength(2);
  });

  it('rejects a 2xx body that is not JSON', async () => {
    const { fetch } = fakeFetch([() => new Response('<html>', { status: 200 })]);
    const error = await new Client({ baseURL: 'http://x', fetch }).models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as Error).message).toBe('200 Expected JSON from GET /v1/models, got: <html>');
  });

  it('says what to do when baseURL or fetch is missing', () => {
    vi.stubEnv('ATTEND_BASE_URL', '');
    expect(() => new Client({ baseURL: '' })).toThrow(/Missing base URL: pass `baseURL` to the client.*or set ATTEND_BASE_URL/);
    expect(() => new Client()).toThrow(AttendError);
    expect(() => new Client({ baseURL: 'localhost:8787' })).toThrow('The base URL "localhost:8787" is not an http(s) URL; fix `baseURL`.');
    const saved = globalThis.fetch;
    try {
      Reflect.deleteProperty(globalThis, 'fetch');
      expect(() => new Client({ baseURL: 'http://x' })).toThrow(AttendError);
      expect(() => new Client({ baseURL: 'http://x' })).toThrow(/pass `fetch` to the client/);
    } finally {
      globalThis.fetch = saved;
    }
  });
});

describe('Client defaults from the environment', () => {
  it('reads ATTEND_BASE_URL and ATTEND_API_KEY when the options leave them out', async () => {
    vi.stubEnv('ATTEND_BASE_URL', ' https://env.test/api ');
    vi.stubEnv('ATTEND_API_KEY', 'env-key');
    const { fetch, requests } = fakeFetch([() => json(200, { models: [] })]);
    await new Client({ fetch }).models.list();
    expect(requests[0]).toMatchObject({ url: 'https://env.test/api/v1/models', headers: { authorization: 'Bearer env-key' } });
  });

  it('prefers the options, and sends no key when apiKey is null', async () => {
    vi.stubEnv('ATTEND_BASE_URL', 'https://env.test');
    vi.stubEnv('ATTEND_API_KEY', 'env-key');
    const { fetch, requests } = fakeFetch([() => json(200, { models: [] }), () => json(200, { models: [] })]);
    await new Client({ baseURL: 'http://option.test', apiKey: 'option-key', fetch }).models.list();
    await new Client({ apiKey: null, fetch }).models.list();
    expect(requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['http://option.test/v1/models', 'Bearer option-key'],
      ['https://env.test/v1/models', undefined],
    ]);
  });

  it('names the variable when ATTEND_BASE_URL is not a URL, and reads nothing without `process`', () => {
    vi.stubEnv('ATTEND_BASE_URL', 'attend.example');
    expect(() => new Client()).toThrow('The base URL "attend.example" is not an http(s) URL; fix ATTEND_BASE_URL.');
    vi.stubEnv('ATTEND_BASE_URL', 'https://env.test');
    // A browser or a Worker: no `process` at all.
    vi.stubGlobal('process', undefined);
    try {
      expect(() => new Client()).toThrow(/Missing base URL/);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('withResponse', () => {
  it('gives the parsed answer with its response and request id, and awaiting still gives the answer', async () => {
    const { fetch } = fakeFetch([() => json(200, ANSWER, { 'x-request-id': 'req_ok' }), () => json(200, ANSWER)]);
    const client = new Client({ baseURL: 'http://x', fetch });
    const { data, response, request_id } = await client.translate({ text: 'Good morning', target: 'es' }).withResponse();
    expect(data).toEqual(ANSWER);
    expect(response.status).toBe(200);
    expect(request_id).toBe('req_ok');
    const call = client.translate({ text: 'Good morning', target: 'es' });
    expect(call).toBeInstanceOf(Promise);
    expect(await call).toEqual(ANSWER);
    expect((await call.withResponse()).request_id).toBeNull();
  });

  it('rejects with the API error, through catch and finally too', async () => {
    const { sleep } = recordingSleep();
    const { fetch } = fakeFetch([() => json(404, {}), () => json(404, {})]);
    const client = new Client({ baseURL: 'http://x', fetch, sleep });
    await expect(client.models.retrieve('a').withResponse()).rejects.toBeInstanceOf(NotFoundError);
    let settled = false;
    const caught = await client.languages
      .list()
      .finally(() => (settled = true))
      .catch((e: unknown) => e);
    expect(settled).toBe(true);
    expect(caught).toBeInstanceOf(NotFoundError);
  });
});
