import { MODEL_FILES, SERVING_FILES } from '@attend/model-spec';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearBucket, seedModel } from '../../test/seed-r2.ts';
import { ModelUnavailableError } from './model-error.ts';
import { ModelStore } from './model-store.ts';
import type { ModelFolder } from './r2-model-files.ts';

const files = (tag: string) => ({
  [MODEL_FILES.config]: JSON.stringify({ model_type: 'marian', tag }),
  [MODEL_FILES.tokenizer]: JSON.stringify({ model: { type: 'BPE' } }),
  [MODEL_FILES.encoderQuantized]: new Uint8Array([1, 2, 3]),
  [MODEL_FILES.decoderQuantized]: new Uint8Array([4, 5, 6, 7]),
});

const folderBytes = (folder: Record<string, string | Uint8Array>) =>
  Object.values(folder).reduce((sum, content) => sum + (typeof content === 'string' ? new TextEncoder().encode(content) : content).byteLength, 0);

function fakeStore(maxLoaded = 2) {
  const built: string[] = [];
  const disposed: string[] = [];
  const store = new ModelStore({
    bucket: env.MODELS,
    maxLoaded,
    build: async (folder: ModelFolder) => {
      built.push(folder.manifest.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { id: folder.manifest.id, folder, dispose: () => disposed.push(folder.manifest.id) };
    },
  });
  return { store, built, disposed };
}

describe('ModelStore', () => {
  beforeEach(async () => {
    await clearBucket(env.MODELS);
    await seedModel(env.MODELS, 'en-es', { source: 'en', target: 'es' }, files('a'));
    await seedModel(env.MODELS, 'es-en', { source: 'es', target: 'en' }, files('b'));
    await seedModel(env.MODELS, 'en-fr', { source: 'en', target: 'fr' }, files('c'));
  });

  it('lists the bucket again once it is no longer empty, and keeps a non-empty listing for the TTL', async () => {
    await clearBucket(env.MODELS);
    const { store } = fakeStore();
    expect(await store.catalog(0)).toEqual([]);
    await seedModel(env.MODELS, 'en-es', { source: 'en', target: 'es' }, files('a'));
    expect((await store.catalog(1)).map((m) => m.id)).toEqual(['en-es']);
    await seedModel(env.MODELS, 'es-en', { source: 'es', target: 'en' }, files('b'));
    expect((await store.catalog(2)).map((m) => m.id)).toEqual(['en-es']);
    expect((await store.catalog(2 + 30_001)).map((m) => m.id)).toEqual(['en-es', 'es-en']);
  });

  it('lists complete models and loads verified files once for concurrent first requests', async () => {
    await env.MODELS.put('half-uploaded/config.json', '{}');
    const { store, built } = fakeStore();
    expect((await store.catalog()).map((m) => m.id)).toEqual(['en-es', 'en-fr', 'es-en']);
    expect((await store.listing()).broken.map((b) => b.id)).toEqual(['half-uploaded']);
    const leases = await Promise.all([1, 2, 3, 4].map(() => store.acquire('en-es')));
    expect(built).toEqual(['en-es']);
    expect(store.stats.loads).toBe(1);
    expect(store.users('en-es')).toBe(4);
    expect(new Set(leases.map((l) => l.model)).size).toBe(1);
    expect(leases[0]!.model.folder.config.tag).toBe('a');
    expect([...leases[0]!.model.folder.decoder]).toEqual([4, 5, 6, 7]);
    expect(leases[0]!.model.folder.serving).toBe(false);
    await store.acquire('en-es');
    expect(built).toEqual(['en-es']);
  });

  it('reads the serving graphs instead of the Hugging Face pair when the manifest lists them', async () => {
    const serving = { [SERVING_FILES.encoder]: new Uint8Array([8]), [SERVING_FILES.decoder]: new Uint8Array([9, 9]) };
    await seedModel(env.MODELS, 'en-es', { source: 'en', target: 'es' }, { ...files('a'), ...serving, [MODEL_FILES.decoderQuantized]: new Uint8Array([0]) });
    const { store } = fakeStore();
    const { folder } = (await store.acquire('en-es')).model;
    expect({ serving: folder.serving, encoder: [...folder.encoder], decoder: [...folder.decoder] }).toEqual({ serving: true, encoder: [8], decoder: [9, 9] });
  });

  it('keeps at most maxLoaded models, disposing the least recently used once released', async () => {
    const { store, built, disposed } = fakeStore(2);
    const a = await store.acquire('en-es');
    (await store.acquire('es-en')).release();
    a.release();
    (await store.acquire('en-es')).release(); // en-es is now the most recently used
    const held = await store.acquire('en-fr');
    expect(disposed).toEqual(['es-en']);
    expect([store.isLoaded('en-es'), store.isLoaded('es-en'), store.isLoaded('en-fr')]).toEqual([true, false, true]);
    (await store.acquire('es-en')).release(); // evicts en-es (released) ...
    expect(disposed).toEqual(['es-en', 'en-es']);
    (await store.acquire('en-es')).release(); // ... then en-fr, still held: disposed on release only
    expect(disposed).toEqual(['es-en', 'en-es']);
    held.release();
    held.release();
    expect(disposed).toEqual(['es-en', 'en-es', 'en-fr']);
    expect(built).toEqual(['en-es', 'es-en', 'en-fr', 'es-en', 'en-es']);
    expect(store.stats).toEqual({ loads: 5, evictions: 3 });
  });

  it('refuses corrupt or missing files with a reason, keeps nothing, and retries on the next request', async () => {
    const { store, built } = fakeStore();
    await env.MODELS.put(`en-es/${MODEL_FILES.decoderQuantized}`, new Uint8Array([4, 5, 6, 8]));
    await expect(store.acquire('en-es')).rejects.toThrow(/decoder_model_merged_quantized.onnx does not match its sha256/);
    await env.MODELS.put(`en-es/${MODEL_FILES.decoderQuantized}`, new Uint8Array([4, 5, 6]));
    await expect(store.acquire('en-es')).rejects.toThrow(/has 3 bytes, manifest.json says 4/);
    await env.MODELS.delete(`en-es/${MODEL_FILES.tokenizer}`);
    const error = await store.acquire('en-es').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).reason).toMatch(/tokenizer.json is missing/);
    await expect(store.acquire('nope')).rejects.toThrow(/manifest.json is missing/);
    expect(store.isLoaded('en-es')).toBe(false);
    expect(built).toEqual([]);
    await seedModel(env.MODELS, 'en-es', { source: 'en', target: 'es' }, files('fixed'));
    expect((await store.acquire('en-es')).model.folder.config.tag).toBe('fixed');
  });

  it('does not keep a model whose build failed', async () => {
    let fail = true;
    const store = new ModelStore({
      bucket: env.MODELS,
      maxLoaded: 1,
      build: async () => {
        if (fail) throw new ModelUnavailableError('en-es', 'onnxruntime refused the graph');
        return { dispose: () => {} };
      },
    });
    await expect(Promise.all([store.acquire('en-es'), store.acquire('en-es')])).rejects.toThrow(/refused the graph/);
    expect(store.isLoaded('en-es')).toBe(false);
    fail = false;
    await expect(store.acquire('en-es')).resolves.toBeDefined();
  });

  it('lists a folder whose manifest is truncated, invalid or missing as broken, with why and its pair', async () => {
    const manifest = await (await env.MODELS.get('en-es/manifest.json'))!.text();
    await env.MODELS.put('en-es/manifest.json', manifest.slice(0, manifest.length >> 1));
    await env.MODELS.put('en-fr/manifest.json', JSON.stringify({ format: 'nonsense' }));
    await env.MODELS.put(`de-en-tiny/${MODEL_FILES.encoderQuantized}`, new Uint8Array([1]));
    await env.MODELS.put(`opus-mt/${MODEL_FILES.config}`, JSON.stringify({ translator: { source: 'it', target: 'en' } }));
    const { store } = fakeStore();
    const { manifests, broken } = await store.listing(0);
    expect(manifests.map((m) => m.id)).toEqual(['es-en']);
    expect(broken).toEqual([
      { id: 'de-en-tiny', reason: expect.stringMatching(/^manifest.json is missing.*npm run upload/), pair: { source: 'de', target: 'en' } },
      { id: 'en-es', reason: expect.stringMatching(/^manifest.json is not valid JSON.*npm run upload/), pair: { source: 'en', target: 'es' } },
      { id: 'en-fr', reason: expect.stringMatching(/format must be/), pair: { source: 'en', target: 'fr' } },
      { id: 'opus-mt', reason: expect.stringMatching(/manifest.json is missing/), pair: { source: 'it', target: 'en' } },
    ]);
    expect((await store.failures(0)).map((f) => f.model)).toEqual(['de-en-tiny', 'en-es', 'en-fr', 'opus-mt']);
    await expect(store.acquire('en-es')).rejects.toThrow(/manifest.json is not valid JSON/);
    // A listing with a broken folder is kept for a second only: the fix is served without a restart.
    await seedModel(env.MODELS, 'en-es', { source: 'en', target: 'es' }, files('fixed'));
    expect((await store.catalog(500)).map((m) => m.id)).toEqual(['es-en']);
    expect((await store.catalog(1_001)).map((m) => m.id)).toEqual(['en-es', 'es-en']);
    expect((await store.acquire('en-es')).model.folder.config.tag).toBe('fixed');
    expect((await store.failures(1_001)).map((f) => f.model)).toEqual(['de-en-tiny', 'en-fr', 'opus-mt']);
  });

  describe('logs', () => {
    afterEach(() => vi.restoreAllMocks());

    it('one JSON line per load, per failed load and per broken folder; a failed load is reported until one succeeds', async () => {
      const lines: Record<string, unknown>[] = [];
      vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>));
      const { store } = fakeStore();
      await env.MODELS.put(`en-es/${MODEL_FILES.decoderQuantized}`, new Uint8Array([4, 5, 6, 8]));
      await env.MODELS.put('broken/manifest.json', '{');
      await expect(store.acquire('en-es')).rejects.toThrow(/sha256/);
      expect(await store.failures(0)).toEqual([
        { model: 'broken', reason: expect.stringMatching(/not valid JSON/) },
        { model: 'en-es', reason: expect.stringMatching(/decoder_model_merged_quantized.onnx does not match its sha256/) },
      ]);
      await env.MODELS.put(`en-es/${MODEL_FILES.decoderQuantized}`, new Uint8Array([4, 5, 6, 7]));
      (await store.acquire('en-es')).release();
      expect((await store.failures(0)).map((f) => f.model)).toEqual(['broken']);
      expect(lines).toEqual([
        { event: 'model_load_failed', model: 'en-es', ms: expect.any(Number), reason: expect.stringMatching(/sha256/) },
        { event: 'model_broken', model: 'broken', reason: expect.stringMatching(/not valid JSON/) },
        { event: 'model_load', model: 'en-es', ms: expect.any(Number), bytes: folderBytes(files('a')) },
      ]);
    });
  });
});
