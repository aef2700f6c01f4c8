// Honest health in workerd with the real local bucket: a model whose manifest.json is truncated or
// missing is a 503 for its pair and makes /health 503 "degraded" naming it; fixing the upload heals
// both without a restart; and the logs say what happened without a key or a text.
import { MODEL_FILES, SERVING_FILES } from '@attend/model-spec';
import { GLOSSARY_FORMAT, HealthSchema, glossaryKey, type Health } from '@attend/protocol';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isolatedEnv } from '../../test/app-client.ts';
import { clearBucket, seedModel } from '../../test/seed-r2.ts';
import { seedTestModel, testModelFiles } from '../../test/test-model.ts';
import app from '../index.ts';

const KEY = 'health-test-key-0123456789abcdef';
const TEXT = 'Where is the library? It is near the old bridge.';
const BROKEN = 'en-fr-tiny';

/** A client with a fresh ModelStore, as a fresh isolate would have. */
function freshClient() {
  const testEnv = isolatedEnv({ API_KEYS: KEY });
  return async (path: string, init: RequestInit = {}) => {
    const ctx = createExecutionContext();
    const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...init.headers };
    const response = await app.fetch(new Request(`https://attend.test${path}`, { ...init, headers }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}
type Send = ReturnType<typeof freshClient>;

let sent = 0; // a new text each time: a cached answer would never reach the model
const translate = (send: Send, target: string) =>
  send('/v1/translate', { method: 'POST', body: JSON.stringify({ text: `${TEXT} ${++sent}`, source: 'en', target, options: { max_tokens: 2 } }) });
const libre = (send: Send, target: string) => send('/translate', { method: 'POST', body: JSON.stringify({ q: TEXT, source: 'en', target }) });

async function healthOf(send: Send): Promise<{ status: number; body: Health }> {
  const response = await send('/health');
  return { status: response.status, body: HealthSchema.parse(await response.json()) };
}

/** 503 naming the model and why; LibreTranslate's routes send only the message, as `error`. */
async function expectUnavailable(response: Response, reason: RegExp): Promise<void> {
  const body = (await response.json()) as { error: string | { type: string; message: string } };
  expect(response.status).toBe(503);
  if (typeof body.error !== 'string') expect(body.error.type).toBe('model_unavailable');
  expect(typeof body.error === 'string' ? body.error : body.error.message).toMatch(new RegExp(`"${BROKEN}".*${reason.source}`));
}

async function truncateManifest(): Promise<void> {
  const manifest = await (await env.MODELS.get(`${BROKEN}/manifest.json`))!.text();
  await env.MODELS.put(`${BROKEN}/manifest.json`, manifest.slice(0, manifest.length - 40));
}

/** An English->French folder, as the exporter writes it: config.json and manifest.json name the pair. */
async function seedFrench(options: { corruptDecoder?: boolean } = {}): Promise<void> {
  const { [MODEL_FILES.manifest]: _, ...files } = testModelFiles();
  const config = JSON.parse(new TextDecoder().decode(files[MODEL_FILES.config])) as { translator: { target: string } };
  config.translator.target = 'fr';
  await seedModel(env.MODELS, BROKEN, { source: 'en', target: 'fr' }, { ...files, [MODEL_FILES.config]: JSON.stringify(config) });
  if (options.corruptDecoder) {
    const decoder = files[SERVING_FILES.decoder]!.slice();
    decoder[decoder.length >> 1]! ^= 0xff;
    await env.MODELS.put(`${BROKEN}/${SERVING_FILES.decoder}`, decoder);
  }
}

const waitForBrokenListingToExpire = () => new Promise((resolve) => setTimeout(resolve, 1_100)); // ModelStore's brokenTtlMs

describe('/health and model faults', () => {
  let lines: string[];
  beforeEach(async () => {
    lines = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    await clearBucket(env.MODELS);
    await seedTestModel(env.MODELS);
    await seedFrench();
  });
  afterEach(() => vi.restoreAllMocks());

  it('answers ok with every model listed and none failed', async () => {
    const { status, body } = await healthOf(freshClient());
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', models: 2, loaded: [], failed: [] });
  });

  it('an uploaded glossary is no model folder: /health stays ok and lists the models only', async () => {
    const entries = [{ source: 'library', target: 'biblioteca' }];
    await env.MODELS.put(glossaryKey({ source: 'en', target: 'es' }, 'ui'), JSON.stringify({ format: GLOSSARY_FORMAT, name: 'ui', source: 'en', target: 'es', entries }));
    const { status, body } = await healthOf(freshClient());
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', models: 2, failed: [] });
  });

  it('a truncated manifest: 503 for its pair (never 404), /health 503 naming it, the other pair still served', async () => {
    await truncateManifest();
    const send = freshClient();
    await expectUnavailable(await translate(send, 'fr'), /manifest.json is not valid JSON.*npm run upload/);
    await expectUnavailable(await libre(send, 'fr'), /manifest.json is not valid JSON/);
    expect((await translate(send, 'es')).status).toBe(200);
    const { status, body } = await healthOf(send);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'degraded', models: 2, loaded: ['en-es-test'] });
    expect(body.failed).toEqual([{ model: BROKEN, reason: expect.stringMatching(/^manifest.json is not valid JSON.*npm run upload/) }]);
  });

  it('a missing manifest with the files present: the same, and re-uploading heals both without a restart', async () => {
    await env.MODELS.delete(`${BROKEN}/manifest.json`);
    const send = freshClient();
    await expectUnavailable(await translate(send, 'fr'), /manifest.json is missing/);
    expect((await healthOf(send)).body.failed).toEqual([{ model: BROKEN, reason: expect.stringMatching(/^manifest.json is missing/) }]);
    await seedFrench();
    await waitForBrokenListingToExpire();
    expect((await healthOf(send)).status).toBe(200); // a valid manifest, not asked for yet: healthy
    expect((await translate(send, 'fr')).status).toBe(200);
    expect(await healthOf(send)).toMatchObject({ status: 200, body: { status: 'ok', failed: [], loaded: [BROKEN] } });
  });

  it('a file that fails verification: degraded from the failed load until a later request loads it', async () => {
    await seedFrench({ corruptDecoder: true });
    const send = freshClient();
    expect((await healthOf(send)).status).toBe(200); // nothing tried yet: /health loads nothing itself
    await expectUnavailable(await translate(send, 'fr'), /decoder_model_serving_quantized.onnx does not match its sha256/);
    expect((await healthOf(send)).body.failed).toEqual([{ model: BROKEN, reason: expect.stringMatching(/sha256/) }]);
    await seedFrench();
    expect((await healthOf(send)).status).toBe(503); // the last load failed; no request has retried it yet
    expect((await translate(send, 'fr')).status).toBe(200);
    expect((await healthOf(send)).body).toMatchObject({ status: 'ok', failed: [] });
  });

  it('logs one JSON line per request and per model load or failure, never a key or a text', async () => {
    await truncateManifest();
    const send = freshClient();
    await translate(send, 'fr');
    await libre(send, 'es');
    await send('/health', { headers: { 'X-Request-Id': 'trace-42' } });
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toEqual(
      expect.arrayContaining([
        { event: 'model_broken', model: BROKEN, reason: expect.stringMatching(/not valid JSON/) },
        expect.objectContaining({ event: 'request', method: 'POST', path: '/v1/translate', status: 503, model: BROKEN, error: 'model_unavailable' }),
        { event: 'model_load', model: 'en-es-test', ms: expect.any(Number), bytes: expect.any(Number) },
        expect.objectContaining({ event: 'request', method: 'POST', path: '/translate', status: 200 }),
        { event: 'request', request_id: 'trace-42', method: 'GET', path: '/health', status: 503, ms: expect.any(Number) },
      ]),
    );
    expect(events.filter((e) => e.event === 'request')).toHaveLength(3);
    const all = lines.join('\n');
    expect(all).not.toContain(KEY);
    expect(all).not.toMatch(/library|old bridge|Bearer|authorization/i);
  });
});
