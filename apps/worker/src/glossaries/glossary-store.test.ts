// Named glossaries read from the real local R2 bucket, as `npm run upload -- --glossary` writes them.
import { GLOSSARY_FORMAT, glossaryKey } from '@attend/protocol';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearBucket } from '../../test/seed-r2.ts';
import { ApiError } from '../errors.ts';
import { GlossaryStore } from './glossary-store.ts';

const EN_ES = { source: 'en', target: 'es' };
const stored = (name: string, entries: { source: string; target: string }[], pair = EN_ES) => JSON.stringify({ format: GLOSSARY_FORMAT, name, ...pair, entries });
const put = (name: string, body: string, pair = EN_ES) => env.MODELS.put(glossaryKey(pair, name), body);

beforeAll(async () => {
  await clearBucket(env.MODELS);
  await put('ui', stored('ui', [{ source: 'file menu', target: 'menú Archivo' }, { source: 'Save', target: 'Guardar' }]));
  await put('broken', '{"format": "attend-glossary/1", "name": "broken"');
  await put('overlapping', stored('overlapping', [{ source: 'New York', target: 'Nueva York' }, { source: 'york', target: 'York' }]));
  await put('moved', stored('elsewhere', [{ source: 'a', target: 'b' }]));
});
afterAll(() => clearBucket(env.MODELS));

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('GlossaryStore', () => {
  it('reads a glossary of the pair from the bucket', async () => {
    const glossary = await new GlossaryStore({ bucket: env.MODELS }).get(EN_ES, 'ui');
    expect(glossary.entries.map((e) => e.target)).toEqual(['menú Archivo', 'Guardar']);
  });

  it('answers 404 for a glossary the pair lacks, naming the upload command', async () => {
    const store = new GlossaryStore({ bucket: env.MODELS });
    for (const [pair, name] of [[EN_ES, 'nope'], [{ source: 'es', target: 'en' }, 'ui']] as const) {
      const error = await failure(store.get(pair, name));
      expect(error.type).toBe('not_found');
      expect(error.message).toMatch(new RegExp(`^options\\.glossary_id: no glossary "${name}" for ${pair.source}->${pair.target}; .*npm run upload -- --glossary`));
    }
  });

  it('refuses a stored glossary that is not valid, saying what is wrong', async () => {
    const store = new GlossaryStore({ bucket: env.MODELS });
    const cases = [
      ['broken', /\(it is not JSON\)/],
      ['overlapping', /\(entries\.1\.source: "york" overlaps \(one contains the other\) "New York" of entry 0/],
      ['moved', /\(it names elsewhere for en->es\)/],
    ] as const;
    for (const [name, why] of cases) {
      const error = await failure(store.get(EN_ES, name));
      expect(error.type).toBe('configuration_error');
      expect(error.message).toMatch(why);
    }
  });

  it('reuses a glossary for its TTL, then reads the bucket again', async () => {
    const store = new GlossaryStore({ bucket: env.MODELS, ttlMs: 1_000 });
    await put('changing', stored('changing', [{ source: 'cat', target: 'gato' }]));
    expect((await store.get(EN_ES, 'changing', 0)).entries[0]!.target).toBe('gato');
    await put('changing', stored('changing', [{ source: 'cat', target: 'minino' }]));
    expect((await store.get(EN_ES, 'changing', 900)).entries[0]!.target).toBe('gato');
    expect((await store.get(EN_ES, 'changing', 1_100)).entries[0]!.target).toBe('minino');
  });

  it('does not keep a failed read: an upload that fixes it is served at once', async () => {
    const store = new GlossaryStore({ bucket: env.MODELS });
    await failure(store.get(EN_ES, 'late', 0));
    await put('late', stored('late', [{ source: 'dog', target: 'perro' }]));
    expect((await store.get(EN_ES, 'late', 1)).entries[0]!.target).toBe('perro');
  });
});
