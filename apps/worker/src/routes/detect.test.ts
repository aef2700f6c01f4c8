// POST /v1/detect, and what detection adds to /v1/translate: `source` omitted or "auto" answers with
// `detected_language`, in the JSON and in the stream's `start` event; a locale tag falls back.
import { DetectResponseSchema, StartEventSchema, TranslateResponseSchema } from '@attend/protocol';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { client, isolatedEnv, postJson } from '../../test/app-client.ts';
import { clearBucket } from '../../test/seed-r2.ts';
import { collectEvents } from '../../test/sse.ts';
import { seedTestModel } from '../../test/test-model.ts';

const call = client(isolatedEnv());

beforeAll(async () => {
  await clearBucket(env.MODELS);
  await seedTestModel(env.MODELS); // en -> es: the languages known are en and es
});

describe('POST /v1/detect', () => {
  it('detects each text among the languages the models know', async () => {
    const response = await postJson(call, '/v1/detect', { text: ['Open the file menu.', 'Abrir el menú Archivo', '42'] });
    expect(response.status).toBe(200);
    const { detections } = DetectResponseSchema.parse(await response.json());
    expect(detections.map((d) => d.language)).toEqual(['en', 'es', 'en']);
    expect(detections[0]!.confidence).toBeGreaterThan(0.9);
    expect(detections[2]!.confidence).toBe(0); // no letters: nothing to go on
    const one = DetectResponseSchema.parse(await (await postJson(call, '/v1/detect', { text: 'Guardar como' })).json());
    expect(one.detections).toEqual([{ language: 'es', confidence: expect.any(Number) }]);
  });

  it('validates like /v1/translate', async () => {
    expect((await postJson(call, '/v1/detect', { text: [] })).status).toBe(422);
    expect((await postJson(call, '/v1/detect', { q: 'hi' })).status).toBe(422);
  });
});

describe('POST /v1/translate with a detected source', () => {
  it('answers detected_language for source omitted or "auto", and not for a source given', async () => {
    for (const source of [undefined, 'auto']) {
      const response = await postJson(call, '/v1/translate', { text: 'Where is the library?', source, target: 'es', options: { max_tokens: 4 } });
      expect(response.status).toBe(200);
      const body = TranslateResponseSchema.parse(await response.json());
      expect(body).toMatchObject({ source: 'en', detected_language: { language: 'en' } });
      expect(body.detected_language!.confidence).toBeGreaterThan(0.9);
    }
    const given = TranslateResponseSchema.parse(await (await postJson(call, '/v1/translate', { text: 'Where?', source: 'en', target: 'es', options: { max_tokens: 4 } })).json());
    expect(given.detected_language).toBeUndefined();
  });

  it('sends detected_language in the `start` event', async () => {
    const response = await postJson(call, '/v1/translate', { text: ['Hello there.', 'Where is it?'], target: 'es', stream: true, options: { max_tokens: 4 } });
    const [start] = await collectEvents(response);
    expect(StartEventSchema.parse(start!.event)).toMatchObject({ type: 'start', source: 'en', count: 2, detected_language: { language: 'en' } });
  });

  it('falls back from a locale tag to its base language', async () => {
    for (const [source, target] of [['en-US', 'es-ES'], ['en_GB', 'es_MX'], ['EN', 'ES']]) {
      const response = await postJson(call, '/v1/translate', { text: 'Hello.', source, target, options: { max_tokens: 4 } });
      expect(response.status, `${source} -> ${target}`).toBe(200);
      expect(await response.json()).toMatchObject({ source: 'en', target: 'es' });
    }
  });
});
