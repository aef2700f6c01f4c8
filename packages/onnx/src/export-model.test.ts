import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MODEL_FILES, parseManifest, resolveConfig, SERVING_FILES } from '@attend/model-spec';
import { AutoModelForSeq2SeqLM, AutoTokenizer, Tensor, env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from './export-model.ts';
import { decodeStep, encode, greedy, logitsAt, relativeError } from './testing/ort-session.ts';
import { randomWeights } from './testing/random-weights.ts';
import { wordLevelTokenizer } from './testing/tokenizer-fixture.ts';

const config = resolveConfig({
  vocabSize: 200,
  dModel: 32,
  heads: 4,
  dFF: 64,
  encoderLayers: 2,
  decoderLayers: 2,
  maxPositions: 64,
  norm: 'pre',
  activation: 'swish',
});
const SOURCES = ['w5 w17 w42 w8 w63', 'w100 w3 w150', 'w7 w7 w7 w199 w30 w31 w32 w33'];
const MAX_NEW_TOKENS = 15;
let root: string;
let outDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'attend-onnx-'));
  outDir = join(root, 'en-es-test');
  const weights = randomWeights(config, 5, 3);
  await exportModel({ config, weights, ...wordLevelTokenizer(config.vocabSize), outDir, id: 'en-es-test', source: 'en', target: 'es' });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('exportModel', () => {
  it('writes every file of the artifact, and a manifest with their sizes and sha256, last', async () => {
    const manifest = parseManifest(await readFile(join(outDir, MODEL_FILES.manifest), 'utf8'));
    const expected = [...Object.values(MODEL_FILES).filter((f) => f !== MODEL_FILES.manifest), ...Object.values(SERVING_FILES)];
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...expected].sort());
    expect([...(await readdir(join(outDir, 'onnx')))].sort()).toEqual(expected.filter((f) => f.startsWith('onnx/')).map((f) => basename(f)).sort());
    const manifestTime = (await stat(join(outDir, MODEL_FILES.manifest))).mtimeMs;
    for (const file of manifest.files) {
      const bytes = await readFile(join(outDir, file.path));
      expect(bytes.length).toBe(file.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      expect((await stat(join(outDir, file.path))).mtimeMs).toBeLessThanOrEqual(manifestTime);
    }
    const marian = JSON.parse(await readFile(join(outDir, MODEL_FILES.config), 'utf8'));
    expect(marian).toMatchObject({ model_type: 'marian', d_model: 32, activation_function: 'swish', translator: { source: 'en', target: 'es' } });
    const generation = JSON.parse(await readFile(join(outDir, MODEL_FILES.generationConfig), 'utf8'));
    expect(generation).toMatchObject({ decoder_start_token_id: 0, eos_token_id: 1, pad_token_id: 0, bad_words_ids: [[0]], num_beams: 1 });
    expect([marian.no_repeat_ngram_size, generation.no_repeat_ngram_size]).toEqual([0, 0]); // off unless asked for
  });

  it('writes only the int8 graphs when keepFp32 is false', async () => {
    const dir = join(root, 'int8-only');
    const options = { config, weights: randomWeights(config), ...wordLevelTokenizer(200), outDir: dir, id: 'x', source: 'en', target: 'es' };
    const manifest = await exportModel({ ...options, keepFp32: false, noRepeatNgramSize: 3 });
    for (const file of [MODEL_FILES.config, MODEL_FILES.generationConfig]) {
      expect(JSON.parse(await readFile(join(dir, file), 'utf8')).no_repeat_ngram_size, file).toBe(3);
    }
    const graphs = manifest.files.map((f) => f.path).filter((p) => p.startsWith('onnx/'));
    expect(graphs).toEqual([MODEL_FILES.decoderQuantized, SERVING_FILES.decoder, MODEL_FILES.encoderQuantized, SERVING_FILES.encoder]);
    expect((await readdir(join(dir, 'onnx'))).sort()).toEqual(graphs.map((path) => basename(path)).sort());
  });

  it('refuses to write nothing', async () => {
    const tokenizer = wordLevelTokenizer(200);
    const options = { config, weights: randomWeights(config), ...tokenizer, outDir: join(root, 'none'), id: 'x', source: 'en', target: 'es' };
    await expect(exportModel({ ...options, quantize: false, keepFp32: false })).rejects.toThrow(/nothing to write/);
  });
});

describe('@huggingface/transformers loads the folder unchanged', () => {
  beforeAll(() => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = dirname(outDir);
  });

  it('tokenizes with the written tokenizer files', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(basename(outDir));
    expect(tokenizer.encode('w5 w17 w199')).toEqual([5, 17, 199, 1]);
  });

  const int8 = { encoder: MODEL_FILES.encoderQuantized, decoder: MODEL_FILES.decoderQuantized };
  const fp32 = { encoder: MODEL_FILES.encoder, decoder: MODEL_FILES.decoder };
  it.each([
    { dtype: 'q8', ...int8, other: fp32 },
    { dtype: 'fp32', ...fp32, other: int8 },
  ] as const)('loads the $dtype files; greedy generate equals our greedy loop over onnxruntime-node, token for token', async (files) => {
    const tokenizer = await AutoTokenizer.from_pretrained(basename(outDir));
    const model = await AutoModelForSeq2SeqLM.from_pretrained(basename(outDir), { dtype: files.dtype });
    const sessions = {
      encoder: await ort.InferenceSession.create(join(outDir, files.encoder)),
      decoder: await ort.InferenceSession.create(join(outDir, files.decoder)),
    };
    const otherSessions = {
      encoder: await ort.InferenceSession.create(join(outDir, files.other.encoder)),
      decoder: await ort.InferenceSession.create(join(outDir, files.other.decoder)),
    };
    for (const text of SOURCES) {
      const source = tokenizer.encode(text);
      const inputs = new Tensor('int64', BigInt64Array.from(source, (v) => BigInt(v)), [1, source.length]);
      const mask = new Tensor('int64', BigInt64Array.from(source, () => 1n), [1, source.length]);
      const generate = { inputs, attention_mask: mask, max_new_tokens: MAX_NEW_TOKENS, do_sample: false, num_beams: 1 };
      const output = (await model.generate(generate)) as Tensor;
      const theirs = Array.from(output.data as BigInt64Array, Number);
      const ours = await greedy(ort, sessions, config, source, 1 + MAX_NEW_TOKENS);
      expect(theirs).toEqual(ours);
      // teacher-forced logits: equal to those of the file we expect it to load, not of the other one
      const decoderIds = new Tensor('int64', BigInt64Array.from(ours, (v) => BigInt(v)), [1, ours.length]);
      const { logits } = (await model({ input_ids: inputs, attention_mask: mask, decoder_input_ids: decoderIds })) as { logits: Tensor };
      const ones = [source.map(() => 1)];
      const step = async (s: typeof sessions) =>
        (await decodeStep(ort, s.decoder, config, { ids: [ours], mask: ones, states: await encode(ort, s.encoder, [source], ones) })).logits;
      const [same, other] = [await step(sessions), await step(otherSessions)];
      const theirLogits = logitsAt(logits, 0, ours.length - 1);
      expect(relativeError(theirLogits, logitsAt(same, 0, ours.length - 1))).toBeLessThan(1e-5);
      expect(relativeError(theirLogits, logitsAt(other, 0, ours.length - 1))).toBeGreaterThan(1e-3);
    }
    await model.dispose();
  });
});
