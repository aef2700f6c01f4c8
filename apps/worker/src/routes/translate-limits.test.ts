// Cost budgets and cancellation of JSON requests, in workerd with the real exported test model.
import { LIMITS } from '@attend/protocol';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { client, isolatedEnv, postJson } from '../../test/app-client.ts';
import { clearBucket } from '../../test/seed-r2.ts';
import { TEST_MODEL, seedTestModel } from '../../test/test-model.ts';
import { modelStoreFor } from '../middleware/model-store.ts';

const testEnv = isolatedEnv();
const call = client(testEnv);
const store = () => modelStoreFor(testEnv);

beforeAll(async () => {
  await clearBucket(env.MODELS);
  await seedTestModel(env.MODELS);
});

async function decoderSteps(): Promise<() => number> {
  const lease = await store().acquire(TEST_MODEL.id);
  lease.release();
  return () => lease.model.decoderSteps;
}

const sentence = (i: number) => `Sentence number ${i} tells of the long road home through the hills.`;
const manyTexts = Array.from({ length: LIMITS.maxTextsPerBatch }, (_, t) => Array.from({ length: 20 }, (_, i) => sentence(t * 20 + i)).join(' '));

describe('per-request cost budget', () => {
  for (const [route, body] of [
    ['/v1/translate', { text: manyTexts, target: 'es' }],
    ['/v1/translate', { text: manyTexts, target: 'es', stream: true }],
    ['/translate', { q: manyTexts, source: 'en', target: 'es' }],
  ] as const) {
    it(`refuses a request that may decode more than ${LIMITS.maxOutputTokensPerRequest} tokens before decoding (${route}${'stream' in body ? ', stream' : ''})`, async () => {
      const steps = await decoderSteps();
      const before = steps();
      const response = await postJson(call, route, body);
      expect(response.status).toBe(413);
      expect(response.headers.get('Content-Type')).toMatch(/json/);
      const { error } = (await response.json()) as { error: string | { type: string; message: string } };
      if (route === '/translate') expect(typeof error).toBe('string'); // LibreTranslate's shape
      else expect(error).toMatchObject({ type: 'payload_too_large' });
      expect(typeof error === 'string' ? error : error.message).toMatch(new RegExp(`the limit is ${LIMITS.maxOutputTokensPerRequest} per request`));
      expect(steps()).toBe(before);
      expect(store().users(TEST_MODEL.id)).toBe(0);
    });
  }

  it('refuses beam_size x tokens over its budget, naming beam_size', async () => {
    const texts = manyTexts.slice(0, 3); // under the token budget greedy, over it with 8 beams
    const response = await postJson(call, '/v1/translate', { text: texts, target: 'es', options: { beam_size: 8, max_tokens: 64 } });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/lower beam_size/);
  });

  it('answers finish_reason: "length" when max_tokens cut a text', async () => {
    const response = await postJson(call, '/v1/translate', { text: sentence(1), target: 'es', options: { max_tokens: 2 } });
    const body = (await response.json()) as { translations: { finish_reason: string }[] };
    expect(body.translations[0]!.finish_reason).toBe('length');
  });
});

describe('cancellation of JSON requests', () => {
  // Through app.fetch with the request's own signal, as workerd aborts it when the client goes away.
  for (const [route, body] of [
    ['/v1/translate', { text: manyTexts.slice(0, 4), target: 'es', options: { max_tokens: 32 } }],
    ['/translate', { q: manyTexts.slice(0, 4), source: 'en', target: 'es' }],
  ] as const) {
    it(`stops decoding at the next step when the client goes away (${route})`, async () => {
      const steps = await decoderSteps();
      const before = steps();
      const disconnect = new AbortController();
      const answer = call(route, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: disconnect.signal });
      await waitFor(() => steps() > before + 5);
      disconnect.abort();
      await answer.catch(() => undefined);
      await waitFor(() => store().users(TEST_MODEL.id) === 0);
      const stopped = steps();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(steps()).toBe(stopped);
      expect(stopped - before).toBeLessThan(80 * 32); // four texts of 20 sentences were asked for
    });
  }
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
