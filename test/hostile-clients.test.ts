// `npm start` under hostile and merely many clients: a corpus of bad input over real HTTP (bad JSON,
// wrong types in every field, huge and chunked bodies, bodies cut short, invalid UTF-8, header abuse,
// odd methods) gets 4xx with a JSON error body, never a 5xx, and the server answers afterwards; then
// 500 concurrent JSON requests and 50 streams all succeed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, npmStart } from './npm-start.ts';
import { type RawRequest, rawRequest } from './raw-http.ts';

// Ten clients' keys: each key may make 120 requests a minute (wrangler.toml [[ratelimits]]).
const KEYS = Array.from({ length: 10 }, (_, i) => `hostile-test-key-${String(i).padStart(4, '0')}`);
let turn = 0;
const key = () => KEYS[turn++ % KEYS.length] as string;
let server: LocalServer;

beforeAll(async () => {
  server = await npmStart({ API_KEYS: KEYS.join(',') });
});
afterAll(() => server?.stop());

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${server.baseURL}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key()}`, 'Content-Type': 'application/json', ...headers }, body });

async function expectJsonError(response: Response | { status: number; headers: Record<string, string>; body: string }, label: string): Promise<void> {
  const [status, type, text] =
    response instanceof Response ? [response.status, response.headers.get('content-type') ?? '', await response.text()] : [response.status, response.headers['content-type'] ?? '', response.body];
  expect(status, label).toBeGreaterThanOrEqual(400);
  expect(status, `${label}: ${text.slice(0, 200)}`).toBeLessThan(500);
  expect(type, label).toMatch(/application\/json/);
  const body = JSON.parse(text) as { error?: { type?: unknown; message?: unknown } };
  expect(typeof body.error?.type, label).toBe('string');
  expect(typeof body.error?.message, label).toBe('string');
}

async function expectServing(): Promise<void> {
  expect(server.alive(), server.output().slice(-2_000)).toBe(true);
  const health = await fetch(`${server.baseURL}/health`);
  expect(health.status).toBe(200);
}

const FIELDS: Record<string, unknown[]> = {
  text: [42, null, {}, [], [1], [''].concat(Array(40).fill('a')), 'x'.repeat(2_001), true],
  source: [5, '', 'e', 'english!', ['en'], null],
  target: [null, 7, '', 'zz-ZZZZZZZZZ-', { code: 'es' }],
  model: [123, '', 'x'.repeat(500), ['en-es-tiny']],
  stream: ['yes', 1, {}],
  options: ['fast', [], { beam_size: '4' }, { beam_size: 0 }, { beam_size: 99 }, { max_tokens: -1 }, { max_tokens: 1e9 }, { max_tokens: 1.5 }, { unknown: 1 }],
};

describe('npm start under hostile clients', () => {
  it('answers malformed, truncated and wrongly typed JSON with a 4xx JSON error', async () => {
    const valid = { text: 'Hello.', source: 'en', target: 'es' };
    const bodies = ['', '{', '{"text": "Hello', 'null', '[]', '"text"', '42', '{"text": "a",}', `{"text": "${'a'.repeat(300_000)}"}`, '\u0000\u0001'];
    for (const body of bodies) await expectJsonError(await post('/v1/translate', body), `body ${JSON.stringify(body.slice(0, 30))}`);
    for (const [field, values] of Object.entries(FIELDS)) {
      for (const value of values) await expectJsonError(await post('/v1/translate', JSON.stringify({ ...valid, [field]: value })), `${field}: ${JSON.stringify(value)?.slice(0, 40)}`);
    }
    for (const body of ['q=Hello&source=en', 'q[]=a&q[]=b&source=en&target=es&format=pdf', '%%%']) {
      // LibreTranslate's route answers in its own shape: { "error": message }
      const response = await post('/translate', body, { 'Content-Type': 'application/x-www-form-urlencoded' });
      expect([response.status >= 400 && response.status < 500, typeof ((await response.json()) as { error?: unknown }).error], `form ${body}`).toEqual([true, 'string']);
    }
    await expectServing();
  });

  it('translates control characters, lone surrogates and invalid UTF-8 without failing', async () => {
    for (const text of ['\u0000\u0007\u001b[31mred\u001b[0m', 'a\ud800b', '\ud83d', '\u202e\u200b\ufeff', '\n\n\t  ']) {
      const response = await post('/v1/translate', JSON.stringify({ text, source: 'en', target: 'es', options: { max_tokens: 8 } }));
      expect(response.status, JSON.stringify(text)).toBe(200);
    }
    const invalidUtf8 = Uint8Array.from([...Buffer.from('{"text": "caf'), 0xff, 0xfe, 0xc3, ...Buffer.from('", "target": "es", "source": "en"}')]);
    expect((await post('/v1/translate', invalidUtf8)).status).toBeLessThan(500);
    await expectServing();
  });

  it('refuses huge bodies, chunked or not, and survives bodies cut short', async () => {
    const port = server.port;
    const head = (extra: string) => `POST /v1/translate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key()}\r\nContent-Type: application/json${extra}`;
    const big = `{"text": "${'a'.repeat(1_000_000)}"}`;
    const cases: [string, RawRequest][] = [
      ['1 MB chunked', { head: head('\r\nTransfer-Encoding: chunked'), body: big, chunked: true }],
      ['1 MB with Content-Length', { head: head(`\r\nContent-Length: ${big.length}`), body: big }],
    ];
    for (const [label, request] of cases) await expectJsonError(await rawRequest(port, request), label);
    // the client promises more than it sends and hangs up: nobody is there to answer
    for (let i = 0; i < 3; i++) await rawRequest(port, { head: head('\r\nContent-Length: 1000'), body: '{"text": "a', hangUpAfterMs: 300 });
    await rawRequest(port, { head: head('\r\nTransfer-Encoding: chunked'), body: '', hangUpAfterMs: 300 });
    await expectServing();
  });

  it('answers header abuse and odd methods without a 5xx', async () => {
    const port = server.port;
    await expectJsonError(await post('/v1/translate', '{}', { Authorization: 'Bearer' }), 'bare Bearer');
    await expectJsonError(await post('/v1/translate', '{"text": "a", "target": "es"}', { 'Content-Type': 'text/plain' }), 'text/plain');
    await expectJsonError(await post('/v1/translate', '--x\r\n\r\n', { 'Content-Type': 'multipart/form-data; boundary=x' }), 'broken multipart');
    const long = await post('/v1/translate', '{}', { 'X-Padding': 'p'.repeat(8_000), Accept: 'text/event-stream;q=x, */*' });
    expect(long.status).toBeLessThan(500);
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      await expectJsonError(await fetch(`${server.baseURL}/v1/translate`, { method, headers: { Authorization: `Bearer ${key()}` } }), method);
    }
    await expectJsonError(await fetch(`${server.baseURL}/v1/translate`, { headers: { Authorization: `Bearer ${key()}` } }), 'GET');
    await expectJsonError(await fetch(`${server.baseURL}/v1/%00/${'x'.repeat(4_000)}`), 'long path');
    const same = await rawRequest(port, { head: `POST /v1/translate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key()}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2`, body: '{}' });
    expect(same.status).toBe(422); // identical values are one header
    // Differing Content-Lengths are refused by the local runtime's HTTP parser before the worker runs:
    // 400, not JSON, and the server serves on (README, "Local server").
    const differing = await rawRequest(port, { head: `POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3`, body: '{}' });
    expect(differing.status).toBe(400);
    const trace = await rawRequest(port, { head: 'TRACE /v1/translate HTTP/1.1\r\nHost: x' });
    expect(trace.status).toBeLessThan(500);
    await expectServing();
  });
});

describe('npm start under many clients', () => {
  it('answers 500 concurrent JSON requests and 50 streams, with no error', async () => {
    const json = Array.from({ length: 500 }, (_, i) =>
      post('/v1/translate', JSON.stringify({ text: `Client ${i} opens the file menu.`, source: 'en', target: 'es', options: { max_tokens: 8 } })).then(async (r) => {
        const body = (await r.json()) as { translations?: { text: string }[] };
        return r.status === 200 && typeof body.translations?.[0]?.text === 'string';
      }),
    );
    const streams = Array.from({ length: 50 }, (_, i) =>
      post('/v1/translate', JSON.stringify({ text: `Stream ${i} saves the document.`, source: 'en', target: 'es', stream: true, options: { max_tokens: 16 } })).then(
        async (r) => {
          const events = await r.text();
          return r.status === 200 && events.includes('event: done') && !events.includes('event: error');
        },
      ),
    );
    const results = await Promise.all([...json, ...streams]);
    expect(results.filter((ok) => !ok)).toHaveLength(0);
    await expectServing();
  }, 300_000);
});
