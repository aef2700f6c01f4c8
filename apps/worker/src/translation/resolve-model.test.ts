import { MODEL_FILES } from '@attend/model-spec';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearBucket, seedModel } from '../../test/seed-r2.ts';
import type { Translator } from '../inference/translator.ts';
import { ModelUnavailableError } from '../models/model-error.ts';
import { ModelStore } from '../models/model-store.ts';
import { ApiError } from '../errors.ts';
import { chooseSource, languageFit, resolveModel } from './resolve-model.ts';

const files = { [MODEL_FILES.config]: '{}' };
const store = () => new ModelStore<Translator>({ bucket: env.MODELS, maxLoaded: 1, build: () => Promise.reject(new Error('not built here')) });
const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('resolveModel', () => {
  beforeEach(async () => {
    await clearBucket(env.MODELS);
    await seedModel(env.MODELS, 'en-es', { source: 'en', target: 'es' }, files);
    await seedModel(env.MODELS, 'es-en', { source: 'es', target: 'en' }, files);
  });

  it('answers a broken model\'s pair, or its name, with ModelUnavailableError (503), never a 404', async () => {
    await env.MODELS.put('en-fr-tiny/manifest.json', '{"format":');
    await env.MODELS.put(`en-fr-tiny/${MODEL_FILES.config}`, '{}');
    const s = store();
    for (const query of [{ source: 'en', target: 'fr' }, { target: 'fr' }, { model: 'en-fr-tiny', target: 'fr' }]) {
      const error = await errorOf(resolveModel(s, query));
      expect(error).toBeInstanceOf(ModelUnavailableError);
      expect(error).toMatchObject({ modelId: 'en-fr-tiny', reason: expect.stringMatching(/manifest.json is not valid JSON.*npm run upload/) });
    }
    expect((await resolveModel(s, { source: 'en', target: 'es' })).id).toBe('en-es');
  });

  it('still serves a healthy model of the same pair, and names broken folders of unknown pair in the 404', async () => {
    await env.MODELS.put(`es-en-old/${MODEL_FILES.encoderQuantized}`, new Uint8Array([1]));
    await env.MODELS.put(`mystery/${MODEL_FILES.encoderQuantized}`, new Uint8Array([1]));
    const s = store();
    expect((await resolveModel(s, { source: 'es', target: 'en' })).id).toBe('es-en');
    const error = await errorOf(resolveModel(s, { source: 'en', target: 'de' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ type: 'unsupported_language_pair', message: expect.stringMatching(/unavailable: es-en-old, mystery \(GET \/health says why\)/) });
  });

  it('counts a broken model\'s source when the source is left out: the request stays ambiguous', async () => {
    await env.MODELS.put(`fr-en/${MODEL_FILES.encoderQuantized}`, new Uint8Array([1]));
    const error = await errorOf(resolveModel(store(), { target: 'en' }));
    expect(error).toMatchObject({ type: 'invalid_request', message: expect.stringMatching(/from es, fr.*pass `source`/) });
  });

  it('falls back from a locale tag to its base language (es-ES, es_ES, ES -> es), and prefers an exact match', async () => {
    const s = store();
    for (const source of ['en-US', 'en_GB', 'EN']) expect((await resolveModel(s, { source, target: 'es-ES' })).id).toBe('en-es');
    expect((await resolveModel(s, { source: 'es_MX', target: 'en' })).id).toBe('es-en');
    await seedModel(env.MODELS, 'en-pt-br', { source: 'en', target: 'pt-BR' }, files);
    await seedModel(env.MODELS, 'en-es-es', { source: 'en', target: 'es-ES' }, files);
    const fresh = store();
    expect((await resolveModel(fresh, { source: 'en', target: 'pt' })).id).toBe('en-pt-br'); // a base language finds its variant
    expect((await resolveModel(fresh, { source: 'en', target: 'pt_BR' })).id).toBe('en-pt-br');
    expect((await resolveModel(fresh, { source: 'en', target: 'es-es' })).id).toBe('en-es-es');
    expect((await resolveModel(fresh, { source: 'en', target: 'es' })).id).toBe('en-es');
    expect(languageFit('es-ES', 'es')).toBe(1);
    expect(languageFit('es', 'en')).toBe(0);
  });

  it('detects the source among the languages the models know, for none or "auto" only', async () => {
    const s = store();
    const english = ['Where is the library?', 'Open the file menu.'];
    const spanish = ['¿Dónde está la biblioteca?'];
    expect(await chooseSource(s, { target: 'es' }, english)).toEqual({ source: 'en', detected: { language: 'en', confidence: expect.any(Number) } });
    expect((await chooseSource(s, { source: 'auto', target: 'en' }, spanish)).source).toBe('es');
    expect((await chooseSource(s, { source: 'auto', target: 'en' }, spanish)).detected!.confidence).toBeGreaterThan(0.9);
    expect(await chooseSource(s, { source: 'en', target: 'es' }, spanish)).toEqual({ source: 'en' });
    expect(await chooseSource(s, { model: 'en-es', target: 'es' }, spanish)).toEqual({ source: undefined });
  });

  it('picks a source a model translates into the target, or with `orTarget` the target itself, showing doubt as a low confidence', async () => {
    const s = store();
    const spanish = ['¿Dónde está la biblioteca? Está cerca del puente viejo.'];
    const choice = await chooseSource(s, { target: 'es' }, spanish);
    expect(choice.source).toBe('en'); // the only model into es
    expect(choice.detected!.confidence).toBeLessThan(0.1);
    expect((await chooseSource(s, { target: 'es' }, spanish, true)).source).toBe('es'); // LibreTranslate returns it as it is
  });
});

