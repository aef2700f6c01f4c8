// LibreTranslate's surface as its clients use it: the requests its web UI sends (FormData, as
// templates/app.js.template builds them), those of the npm clients `libretranslate` (JSON, `apiKey`)
// and `translate` (JSON, `api_key`, reads `error` as a string), and its error shape.
import { LibreDetectResponseSchema, LibreFrontendSettingsSchema, LibreTranslateResponseSchema, LIMITS } from '@attend/protocol';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { client, isolatedEnv, postJson } from '../../test/app-client.ts';
import { clearBucket } from '../../test/seed-r2.ts';
import { seedTestModel } from '../../test/test-model.ts';

const call = client(isolatedEnv());
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};
const translateJson = async (body: unknown) => LibreTranslateResponseSchema.parse(await (await postJson(call, '/translate', body)).json());

beforeAll(async () => {
  await clearBucket(env.MODELS);
  await seedTestModel(env.MODELS); // en -> es
});

describe('LibreTranslate web UI', () => {
  it('reads /frontend/settings and /languages, then translates a FormData body with source "auto"', async () => {
    const settings = LibreFrontendSettingsSchema.parse(await (await call('/frontend/settings')).json());
    expect(settings).toMatchObject({ charLimit: LIMITS.maxCharsPerText, apiKeys: false, keyRequired: false, language: { source: { code: 'auto' }, target: { code: 'es', name: 'Spanish' } } });
    expect(await (await call('/languages')).json()).toEqual([{ code: 'en', name: 'English', targets: ['es'] }]);
    const body = form({ q: 'Where is the library?', source: 'auto', target: 'es', format: 'text', alternatives: '3', api_key: '', secret: 'ignored' });
    const response = await call('/translate', { method: 'POST', body });
    expect(response.status).toBe(200);
    const answer = LibreTranslateResponseSchema.parse(await response.json());
    expect(typeof answer.translatedText).toBe('string');
    expect(answer.detectedLanguage).toMatchObject({ language: 'en' });
    expect((answer.detectedLanguage as { confidence: number }).confidence).toBeGreaterThan(90); // percent
    const alternatives = answer.alternatives as string[];
    expect(alternatives.length).toBeLessThanOrEqual(3); // the n-best after translatedText, distinct
    expect(new Set([answer.translatedText, ...alternatives]).size).toBe(alternatives.length + 1);
  });

  it('sends neither detectedLanguage nor alternatives unless asked', async () => {
    const answer = await translateJson({ q: 'Hello.', source: 'en', target: 'es' });
    expect(Object.keys(answer)).toEqual(['translatedText']);
  });
});

describe('LibreTranslate npm clients', () => {
  it('`libretranslate`: JSON with `apiKey` and source "auto"', async () => {
    const answer = await translateJson({ q: 'Open the file.', source: 'auto', target: 'es', format: 'text', apiKey: '' });
    expect(typeof answer.translatedText).toBe('string');
  });

  it('`translate`: JSON with `api_key`, and an error whose `error` is a string', async () => {
    expect(typeof (await translateJson({ q: 'Hello.', source: 'en', target: 'es' })).translatedText).toBe('string');
    const failed = await postJson(call, '/translate', { q: 'Hello.', source: 'en', target: 'de' });
    expect(failed.status).toBe(404);
    expect(await failed.json()).toEqual({ error: expect.stringMatching(/no model translates en->de; available pairs: en->es/) });
  });
});

describe('POST /translate', () => {
  it('answers a batch with one detectedLanguage and one alternatives list per text', async () => {
    const answer = await translateJson({ q: ['Open the file.', 'Save the document.'], source: 'auto', target: 'es', alternatives: 2 });
    expect(answer.translatedText).toHaveLength(2);
    expect(answer.detectedLanguage).toEqual([expect.objectContaining({ language: 'en' }), expect.objectContaining({ language: 'en' })]);
    const lists = answer.alternatives as string[][];
    expect(lists).toHaveLength(2);
    lists.forEach((list, i) => {
      expect(list.length).toBeLessThanOrEqual(2);
      expect(list).not.toContain((answer.translatedText as string[])[i]);
    });
  });

  it('returns a text already in the target language as it is, as LibreTranslate does', async () => {
    const q = '¿Dónde está la biblioteca? Está cerca del puente viejo.';
    const answer = await translateJson({ q, source: 'auto', target: 'es' });
    expect(answer).toEqual({ translatedText: q, detectedLanguage: { language: 'es', confidence: expect.any(Number) } });
  });

  it('translates the text nodes of format "html" and keeps the markup as sent', async () => {
    const q = '<p class="intro">Open the <b>file</b> menu &amp; <code>ls</code>.</p>';
    const { translatedText } = await translateJson({ q, source: 'en', target: 'es', format: 'html' });
    expect(translatedText).toMatch(/^<p class="intro">[^<>]*<b>[^<>]*<\/b>[^<>]*<code>ls<\/code>[^<>]*<\/p>$/);
  });

  it('falls back from a locale tag (pt_BR style) to its base language', async () => {
    expect(typeof (await translateJson({ q: 'Hello.', source: 'en_US', target: 'es_ES' })).translatedText).toBe('string');
  });
});

describe('POST /detect', () => {
  it('ranks the languages the models know, confidence in percent, for JSON and form bodies', async () => {
    const json = LibreDetectResponseSchema.parse(await (await postJson(call, '/detect', { q: 'Abrir el menú Archivo' })).json());
    expect(json[0]).toMatchObject({ language: 'es' });
    expect(json[0]!.confidence).toBeGreaterThan(90);
    const fromForm = LibreDetectResponseSchema.parse(await (await call('/detect', { method: 'POST', body: form({ q: 'Hello' }) })).json());
    expect(fromForm[0]!.language).toBe('en');
  });
});

describe("LibreTranslate's error shape", () => {
  it('answers `{ error: message }` on its routes, from validation, limits and API keys alike', async () => {
    const cases: [Promise<Response>, number, RegExp][] = [
      [postJson(call, '/translate', { source: 'en', target: 'es' }), 422, /^q: /],
      [postJson(call, '/detect', {}), 422, /^q: /],
      [call('/translate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(LIMITS.maxBodyBytes + 1) }), 413, /over \d+ bytes/],
    ];
    const keyed = client(isolatedEnv({ API_KEYS: 'first-key-0123456789' }));
    cases.push([postJson(keyed, '/translate', { q: 'Hi', source: 'en', target: 'es' }), 401, /missing API key/]);
    cases.push([postJson(keyed, '/detect', { q: 'Hi', api_key: 'wrong' }), 401, /invalid API key/]);
    for (const [pending, status, message] of cases) {
      const response = await pending;
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: unknown };
      expect(body).toEqual({ error: expect.stringMatching(message) });
    }
    expect(((await (await postJson(keyed, '/detect', { q: 'Hi', api_key: 'first-key-0123456789' })).json()) as unknown[]).length).toBeGreaterThan(0);
    // this API's own routes keep `{ error: { type, message } }`
    expect(await (await postJson(call, '/v1/translate', { target: 'es' })).json()).toMatchObject({ error: { type: 'invalid_request' } });
  });
});
