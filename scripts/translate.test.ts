// The CLI's argument and folder handling, and the decoding package on real onnxruntime-web sessions:
// a tiny random-weight model is exported into a temporary folder and translated through the CLI's
// loader, then checked against a decoder run without the KV cache.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@attend/decoding';
import { DECODER_INPUTS, MODEL_FILES, cacheSlots, pastName, resolveConfig } from '@attend/model-spec';
import { exportModel } from '@attend/onnx';
import { randomWeights } from '@attend/onnx/testing';
import { trainBpe } from '@attend/tokenizer';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTranslator, parseTranslateArgs, translateText, type Translator } from './translate.ts';

const CORPUS = [
  'the cat sat on the mat', 'el gato se sentó en la alfombra', 'café con leche, por favor', 'niño, canción, corazón',
  'how are you today?', '¿cómo estás hoy?', 'we will see tomorrow', 'nos vemos mañana', 'the weather is nice',
];

let dir: string;
let translator: Translator; // int8, as served
let fp32: Translator; // for the comparison without cache: int8 quantizes activations per call

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attend-translate-'));
  const tokenizer = await trainBpe(CORPUS, { vocabSize: 320, minFrequency: 1 });
  const config = resolveConfig({ vocabSize: tokenizer.vocabSize, dModel: 32, heads: 4, dFF: 64, encoderLayers: 2, decoderLayers: 2, maxPositions: 64 });
  await exportModel({
    config, weights: randomWeights(config, 2, 3) /* strong random positions: output changes every step */, tokenizerJson: tokenizer.toJSON(), tokenizerConfig: tokenizer.tokenizerConfig(),
    outDir: dir, id: 'tiny', source: 'en', target: 'es',
  });
  translator = await loadTranslator(dir);
  fp32 = await loadTranslator(dir, { fp32: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseTranslateArgs', () => {
  it('reads the flags and the texts', () => {
    expect(parseTranslateArgs(['--model', 'm', '--beam', '4', '--fp32', 'hola', 'adiós'])).toEqual({
      model: 'm', fp32: true, beam: 4, maxTokens: undefined, texts: ['hola', 'adiós'],
    });
  });

  it('says what is missing or wrong', () => {
    expect(() => parseTranslateArgs(['hola'])).toThrow(/--model DIR is required/);
    expect(() => parseTranslateArgs(['--model', 'm'])).toThrow(/pass the text to translate/);
    expect(() => parseTranslateArgs(['--model', 'm', '--beam', '0', 'x'])).toThrow(/--beam must be a positive integer/);
  });
});

describe('loadTranslator', () => {
  it('names a missing folder, and a missing file with the flag that helps', async () => {
    await expect(loadTranslator(join(dir, 'nope'))).rejects.toThrow(/does not exist: pass --model/);
    const partial = await mkdtemp(join(tmpdir(), 'attend-translate-'));
    await expect(loadTranslator(partial)).rejects.toThrow(/config\.json is missing/);
    await writeFile(join(partial, MODEL_FILES.config), '{"model_type": ');
    await expect(loadTranslator(partial)).rejects.toThrow(/config\.json is not valid JSON/);
    for (const file of [MODEL_FILES.config, MODEL_FILES.tokenizer]) await copyFile(join(dir, file), join(partial, file));
    await expect(loadTranslator(partial)).rejects.toThrow(/encoder_model_quantized\.onnx is missing: pass --fp32/);
    await expect(loadTranslator(partial, { fp32: true })).rejects.toThrow(/encoder_model\.onnx is missing: drop --fp32/);
    await rm(partial, { recursive: true });
  });
});

/** Next-token logits without the KV cache: the whole prefix at once, empty pasts, use_cache_branch false. */
async function logitsWithoutCache(source: number[]): Promise<(prefix: number[]) => Promise<Float32Array>> {
  const config = fp32.config;
  const options = { executionProviders: ['wasm'] };
  const encoder = await ort.InferenceSession.create(await readFile(join(dir, MODEL_FILES.encoder)), options);
  const decoder = await ort.InferenceSession.create(await readFile(join(dir, MODEL_FILES.decoder)), options);
  const int64 = (ids: number[]) => new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
  const mask = int64(source.map(() => 1));
  const { last_hidden_state: states } = await encoder.run({ input_ids: int64(source), attention_mask: mask });
  return async (prefix) => {
    const feeds: Record<string, ort.Tensor> = {
      [DECODER_INPUTS.inputIds]: int64([config.decoderStartId, ...prefix]),
      [DECODER_INPUTS.encoderAttentionMask]: mask,
      [DECODER_INPUTS.encoderHiddenStates]: states!,
      [DECODER_INPUTS.useCacheBranch]: new ort.Tensor('bool', [false], [1]),
    };
    for (const { layer, kind, tensor } of cacheSlots(config.decoderLayers)) {
      feeds[pastName(layer, kind, tensor)] = new ort.Tensor('float32', new Float32Array(0), [1, config.heads, 0, config.dModel / config.heads]);
    }
    const { logits } = await decoder.run(feeds);
    return (logits!.data as Float32Array).slice(prefix.length * config.vocabSize, (prefix.length + 1) * config.vocabSize);
  };
}

describe('decoding an exported model with onnxruntime-web', () => {
  const texts = ['the cat sat on the mat', 'how are you?', 'café'];
  const options = () => ({ decode: (ids: number[]) => translator.tokenizer.decode(ids), maxTokens: 12 });

  it('greedy with the KV cache picks, at every step, the best token of a decoder run without it', async () => {
    const sources = texts.map((text) => fp32.tokenizer.encode(text, { addEos: true }));
    const { translations } = await generate(fp32.model, sources, options());
    for (const [row, source] of sources.entries()) {
      const reference = await logitsWithoutCache(source);
      const { ids, finishReason } = translations[row]!;
      const chosen = finishReason === 'eos' ? [...ids, fp32.config.eosId] : ids; // a forced EOS is not the model's pick
      for (const [t, id] of chosen.entries()) {
        const logits = await reference(ids.slice(0, t));
        const best = Math.max(...logits.filter((_, token) => token !== fp32.config.padId));
        expect(best - logits[id]!).toBeLessThan(1e-4); // equal up to float rounding: the cache changes nothing
      }
    }
    expect(new Set(translations[0]!.ids).size).toBeGreaterThan(2); // the model does not just repeat a token
  });

  it('translates a batch as it translates each text alone, greedy and with beams', async () => {
    const sources = texts.map((text) => fp32.tokenizer.encode(text, { addEos: true }));
    for (const numBeams of [1, 3]) {
      const batch = await generate(fp32.model, sources, { ...options(), numBeams });
      for (const [row, source] of sources.entries()) {
        const alone = await generate(fp32.model, [source], { ...options(), numBeams });
        // Padding changes the float32 sums of a row's scores in the last bits: the same ids, log-probabilities within rounding.
        const [batched, single] = [batch.translations[row]!, alone.translations[0]!];
        expect({ ids: batched.ids, text: batched.text, finishReason: batched.finishReason, usage: batched.usage }).toEqual({ ids: single.ids, text: single.text, finishReason: single.finishReason, usage: single.usage });
        expect(batched.logProb).toBeCloseTo(single.logProb, 4);
      }
    }
  });

  it('decodes on the serving graphs, and an aborted signal (Ctrl-C) stops it before any step', async () => {
    expect(translator.serving).toBeDefined();
    const deltas: string[] = [];
    const signal = AbortSignal.abort(new Error('interrupted'));
    await expect(translateText(translator, 'niño', { beam: 1, signal, write: (delta) => deltas.push(delta) })).rejects.toThrow('interrupted');
    expect(deltas).toEqual([]);
  });

  it('streams deltas that add up to the decoded text', async () => {
    const deltas: string[] = [];
    const result = await translateText(translator, 'niño, canción', { beam: 1, maxTokens: 12, write: (delta) => deltas.push(delta) });
    expect(deltas.join('')).toBe(result.text);
    expect(result.usage).toEqual({ inputTokens: translator.tokenizer.encode('niño, canción', { addEos: true }).length, outputTokens: 12 });
  });
});
