// Every error case of the API, and a corpus of bad inputs that must never produce a 5xx.
import { ERROR_STATUS, ErrorBodySchema, LIMITS, type ErrorType } from '@attend/protocol';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { client, isolatedEnv } from '../../test/app-client.ts';
import { clearBucket } from '../../test/seed-r2.ts';
import { seedTestModel } from '../../test/test-model.ts';

const send = client(isolatedEnv());
const postRaw = (body: BodyInit, contentType = 'application/json') =>
  send('/v1/translate', { method: 'POST', headers: { 'Content-Type': contentType }, body });
const postJson = (body: unknown) => postRaw(JSON.stringify(body));

async function expectError(response: Response, type: ErrorType, message?: RegExp): Promise<string> {
  const body = ErrorBodySchema.parse(await response.json());
  expect(response.status).toBe(ERROR_STATUS[type]);
  expect(body.error.type).toBe(type);
  if (message) expect(body.error.message).toMatch(message);
  expect(body.error.message).not.toMatch(/\n\s+at /); // never a stack trace
  return body.error.message;
}

/** LibreTranslate's routes answer `{ error: message }`, with this API's statuses. */
async function expectLibreError(response: Response, type: ErrorType, message?: RegExp): Promise<void> {
  const body = (await response.json()) as { error: unknown };
  expect(response.status).toBe(ERROR_STATUS[type]);
  expect(typeof body.error).toBe('string');
  if (message) expect(body.error).toMatch(message);
}

beforeAll(async () => {
  await clearBucket(env.MODELS);
  await seedTestModel(env.MODELS);
  await seedTestModel(env.MODELS, { id: 'en-fr-broken', target: 'fr', corruptDecoder: true });
});

describe('errors', () => {
  it('rejects malformed JSON (400), wrong types (422) and non-JSON bodies (415)', async () => {
    await expectError(await postRaw('{"text": "a", '), 'invalid_json', /Malformed JSON/);
    await expectError(await postJson({ text: 42, target: 'es' }), 'invalid_request', /^text: /);
    await expectError(await postJson({ text: 'a', target: 'es', options: { beam_size: 99 } }), 'invalid_request', /options\.beam_size/);
    await expectError(await postJson([1, 2]), 'invalid_request');
    await expectError(await postRaw('text=a', 'text/plain'), 'unsupported_media_type', /Content-Type: application\/json/);
  });

  it('enforces the limits: body size, characters per text, texts per batch', async () => {
    const huge = JSON.stringify({ text: 'a'.repeat(LIMITS.maxBodyBytes + 1), target: 'es' });
    await expectError(await postRaw(huge), 'payload_too_large', /split the texts/);
    await expectError(await postJson({ text: 'a'.repeat(LIMITS.maxCharsPerText + 1), target: 'es' }), 'payload_too_large', /^text: /);
    const batch = Array(LIMITS.maxTextsPerBatch + 1).fill('a');
    await expectError(await postJson({ text: batch, target: 'es' }), 'payload_too_large', /^text: /);
    await expectError(await postJson({ text: 'a', target: 'es', options: { max_tokens: LIMITS.maxOutputTokens + 1 } }), 'invalid_request', /max_tokens/);
  });

  it('answers an unknown language pair or model with 404 listing the available pairs', async () => {
    await expectError(await postJson({ text: 'a', source: 'en', target: 'de' }), 'unsupported_language_pair', /available pairs: en->es \(en-es-test\)/);
    await expectError(await postJson({ text: 'a', target: 'es', model: 'nope' }), 'not_found', /en->fr \(en-fr-broken\)/);
    await expectError(await postJson({ text: 'a', target: 'fr', model: 'en-es-test' }), 'unsupported_language_pair');
    await expectError(await send('/v1/models/nope'), 'not_found');
    await expectError(await send('/v1/nothing-here'), 'not_found', /see \/openapi.json/);
  });

  it('answers a corrupt model with 503 and a reason, never half-loaded, for JSON and streams alike', async () => {
    for (const stream of [false, true]) {
      const message = await expectError(await postJson({ text: 'Hello.', target: 'fr', stream }), 'model_unavailable');
      expect(message).toMatch(/en-fr-broken.*decoder_model_serving_quantized.onnx does not match its sha256/);
    }
    const model = (await (await send('/v1/models/en-fr-broken')).json()) as { loaded: boolean };
    expect(model.loaded).toBe(false);
    // A file missing from the folder is refused the same way.
    await seedTestModel(env.MODELS, { id: 'en-fr-broken', target: 'fr' });
    await env.MODELS.delete('en-fr-broken/tokenizer.json');
    await expectError(await postJson({ text: 'Hello.', target: 'fr' }), 'model_unavailable', /tokenizer.json is missing/);
    // A later request retries the load: once the folder is whole again, it works.
    await seedTestModel(env.MODELS, { id: 'en-fr-broken', target: 'fr' });
    expect((await postJson({ text: 'Hello.', target: 'fr', options: { max_tokens: 2 } })).status).toBe(200);
  });

  it('answers 503 when the bucket holds no model at all', async () => {
    const empty = client(isolatedEnv({ MODELS: emptyBucket() }));
    const response = await empty('/v1/translate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text":"a","target":"es"}' });
    await expectError(response, 'model_unavailable', /no model is uploaded/);
  });
});

describe('API keys', () => {
  const call = client(isolatedEnv({ API_KEYS: 'first-key-0123456789, second-key-0123456789' }));

  it('requires a configured key on /v1/translate and /translate, compares it, and leaves /health and metadata open', async () => {
    const translate = (headers: Record<string, string>) =>
      call('/v1/translate', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
    await expectError(await translate({}), 'authentication_error', /Authorization: Bearer/);
    await expectError(await translate({ Authorization: 'Bearer wrong' }), 'authentication_error', /invalid API key/);
    expect((await translate({ Authorization: 'Bearer second-key-0123456789' })).status).toBe(422); // past the key: the empty body
    expect((await call('/health')).status).toBe(200);
    expect((await call('/v1/models')).status).toBe(200);
    const libre = (key: string) =>
      call('/translate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ q: '', source: 'en', target: 'es', api_key: key }) });
    expect((await libre('first-key-0123456789')).status).toBe(200);
    await expectLibreError(await libre('nope'), 'authentication_error', /invalid API key/);
  });

  it('is open when no key is configured', async () => {
    expect((await send('/v1/models')).status).toBe(200);
  });
});

describe('HTTP surface', () => {
  it('is the default export that workerd runs', async () => {
    const response = await exports.default.fetch(new Request('https://attend.test/health'));
    expect(response.status).toBe(200);
  });

  it('answers CORS preflights and echoes request ids', async () => {
    const preflight = await send('/v1/translate', {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/i);
    const response = await send('/health', { headers: { 'X-Request-Id': 'trace-123' } });
    expect(response.headers.get('X-Request-Id')).toBe('trace-123');
    const failed = await postRaw('{');
    expect(failed.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists models, languages and health', async () => {
    const health = (await (await send('/health')).json()) as { status: string; models: number; loaded: string[]; wasm_heap_bytes: number };
    expect(health).toMatchObject({ status: 'ok', models: 2 });
    expect(health.loaded).toContain('en-fr-broken'); // loaded once its folder was fixed, above
    expect(health.wasm_heap_bytes).toBeGreaterThan(1 << 20);
    const models = (await (await send('/v1/models')).json()) as { models: { id: string; size_bytes: number }[] };
    expect(models.models.map((m) => m.id)).toEqual(['en-es-test', 'en-fr-broken']);
    expect(models.models[0]!.size_bytes).toBeGreaterThan(0);
    expect(await (await send('/v1/languages')).json()).toEqual({
      languages: ['en', 'es', 'fr'],
      pairs: [
        { source: 'en', target: 'es', model: 'en-es-test' },
        { source: 'en', target: 'fr', model: 'en-fr-broken' },
      ],
    });
  });

  it('publishes the OpenAPI document generated from the request schemas', async () => {
    const doc = (await (await send('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/detect',
      '/frontend/settings',
      '/health',
      '/languages',
      '/translate',
      '/v1/detect',
      '/v1/languages',
      '/v1/models',
      '/v1/models/{id}',
      '/v1/translate',
      '/v1/translate/stream',
    ]);
    // one media type per success answer and an operationId per operation: what client generators need
    const operations = Object.values(doc.paths).flatMap((path) => Object.values(path as Record<string, { operationId?: string; responses: Record<string, { content?: object }> }>));
    expect(operations.map((o) => o.operationId).every(Boolean)).toBe(true);
    for (const o of operations) expect(Object.keys(o.responses['200']?.content ?? {}).length).toBeLessThanOrEqual(1);
    expect(doc.components.schemas).toHaveProperty('TranslateRequest');
    expect(doc.components.schemas).toHaveProperty('StreamEvent');
  });
});

describe('LibreTranslate compatibility', () => {
  it('translates JSON and form bodies, and lists languages', async () => {
    const json = await send('/translate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ q: 'Hello.', source: 'en', target: 'es', format: 'text' }) });
    expect(json.status).toBe(200);
    expect(typeof ((await json.json()) as { translatedText: unknown }).translatedText).toBe('string');
    const form = new URLSearchParams({ q: 'Hello.', source: 'auto', target: 'es' });
    const formResponse = await send('/translate', { method: 'POST', body: form });
    expect(formResponse.status).toBe(200);
    const batch = await send('/translate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ q: ['a', 'b'], source: 'en', target: 'es' }) });
    expect(((await batch.json()) as { translatedText: string[] }).translatedText).toHaveLength(2);
    await expectLibreError(await send('/translate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"q": 1}' }), 'invalid_request', /^q: /);
    expect(await (await send('/languages')).json()).toEqual([{ code: 'en', name: 'English', targets: ['es', 'fr'] }]);
  });
});

describe('bad-input corpus', () => {
  it('never answers 5xx', async () => {
    const bodies: [string, BodyInit][] = [
      ['application/json', ''],
      ['application/json', 'null'],
      ['application/json', '"text"'],
      ['application/json', '{"text":'],
      ['application/json', '\u0000\u0001'],
      ['application/json', '{"text": {"nested": true}, "target": "es"}'],
      ['application/json', JSON.stringify({ text: null, target: 'es' })],
      ['application/json', JSON.stringify({ text: [1, 2], target: 'es' })],
      ['application/json', JSON.stringify({ text: 'a', target: '' })],
      ['application/json', JSON.stringify({ text: 'a', target: 'xx' })],
      ['application/json', JSON.stringify({ text: 'a', source: 'zz', target: 'es' })],
      ['application/json', JSON.stringify({ text: 'a', target: 'es', model: '' })],
      ['application/json', JSON.stringify({ text: 'a', target: 'es', options: null })],
      ['application/json', JSON.stringify({ text: 'a', target: 'es', options: { max_tokens: -1 } })],
      ['application/json', JSON.stringify({ text: 'a', target: 'es', stream: 'true' })],
      ['application/json', JSON.stringify({ text: '', target: 'es' })],
      ['application/json', JSON.stringify({ text: ['', ' ', '\n'], target: 'es', options: { max_tokens: 2 } })],
      ['application/json', JSON.stringify({ text: '\u0000\u0007\u001b[31m\u007f', target: 'es', options: { max_tokens: 2 } })],
      ['application/json', '{"text": "\\ud800 lone \\udc00 surrogates \\ud83d", "target": "es", "options": {"max_tokens": 2}}'],
      ['application/json', JSON.stringify({ text: '😀'.repeat(500), target: 'es', options: { max_tokens: 1 } })],
      ['application/json', JSON.stringify({ text: '.'.repeat(LIMITS.maxCharsPerText), target: 'es', options: { max_tokens: 1 } })],
      ['application/json', JSON.stringify({ text: 'a'.repeat(LIMITS.maxCharsPerText), target: 'es', options: { max_tokens: 1 } })],
      ['application/json', '{"text": "a", "target": "es", "__proto__": {"polluted": true}}'],
      ['application/json', 'x'.repeat(LIMITS.maxBodyBytes * 4)],
      ['application/x-www-form-urlencoded', 'text=a&target=es'],
      ['multipart/form-data; boundary=x', '--x\r\nbroken'],
      ['text/event-stream', 'data: hi\n\n'],
    ];
    const statuses: number[] = [];
    for (const [contentType, body] of bodies) {
      for (const path of ['/v1/translate', '/translate']) {
        const response = await send(path, { method: 'POST', headers: { 'Content-Type': contentType }, body });
        statuses.push(response.status);
        expect(response.status, `${path} ${contentType} ${String(body).slice(0, 60)}`).toBeLessThan(500);
        await response.arrayBuffer();
      }
    }
    for (const [method, path] of [['GET', '/v1/translate'], ['PUT', '/v1/models'], ['DELETE', '/health'], ['GET', '/v1/models/%00'], ['GET', `/v1/models/${'x'.repeat(5000)}`]] as const) {
      const response = await send(path, { method });
      expect(response.status, `${method} ${path.slice(0, 40)}`).toBeLessThan(500);
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
  });
});

/** An R2Bucket stand-in that holds nothing (the test's real bucket is seeded). */
function emptyBucket(): R2Bucket {
  return { list: async () => ({ objects: [], delimitedPrefixes: [], truncated: false }), get: async () => null } as unknown as R2Bucket;
}
