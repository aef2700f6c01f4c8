// The same int8 files under the same packages/decoding generation the worker uses, in Node, one
// thread: onnxruntime-node (native kernels: the on-machine limit) or onnxruntime-web (the worker's
// WASM build, without workerd and HTTP around it), on the Hugging Face graphs (generate, one batch)
// or on the serving graphs (the worker's StepScheduler). And, for comparison, greedy decoding without
// the KV cache, feeding the whole prefix at every step as the seed's decoder did.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOnnxSeq2Seq, createServingDecoder, generate, generateStream, RowBudget, type Seq2SeqModel, StepScheduler } from '@attend/decoding';
import {
  cacheSlots,
  DECODER_INPUTS,
  DECODER_OUTPUTS,
  ENCODER_INPUTS,
  ENCODER_OUTPUTS,
  type GenerationSettings,
  headDim,
  MODEL_FILES,
  pastName,
  SERVING_FILES,
  type TransformerConfig,
} from '@attend/model-spec';
import type { Tokenizer } from '@attend/tokenizer';
import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web/wasm';
import type { StreamTiming } from './serve-client.ts';
import { readGenerationSettings } from './serve-model.ts';

export interface NodeTranslator {
  /** Greedy, KV-cached, streamed: the worker's decoding path over this runtime. */
  translate(text: string, maxTokens: number): Promise<StreamTiming>;
  /** Exactly `steps` decoder calls with the KV cache; returns the generated ids (EOS excluded). */
  decodeCached(source: readonly number[], steps: number): Promise<number[]>;
  /** The same greedy decoding, re-running the decoder over the whole prefix at each step. */
  decodeWithoutCache(source: readonly number[], steps: number): Promise<number[]>;
  release(): Promise<void>;
}

export type Runtime = 'onnxruntime-node' | 'onnxruntime-web';

// As the worker's sessions (apps/worker/src/inference/onnx-runtime.ts), on one thread.
const SESSION_OPTIONS = { graphOptimizationLevel: 'all', enableMemPattern: false } as const;

/** onnxruntime-common's API is the same in both packages: only the module and its options differ. */
async function createSession(runtime: Runtime, path: string): Promise<ort.InferenceSession> {
  if (runtime === 'onnxruntime-node') {
    const options = { ...SESSION_OPTIONS, executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' } as const;
    return ort.InferenceSession.create(path, options);
  }
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.logLevel = 'error';
  return ortWeb.InferenceSession.create(await readFile(path), { ...SESSION_OPTIONS, executionProviders: ['wasm'] });
}

export async function loadInNode(runtime: Runtime, dir: string, config: TransformerConfig, tokenizer: Tokenizer): Promise<NodeTranslator> {
  const encoder = await createSession(runtime, join(dir, MODEL_FILES.encoderQuantized));
  const decoder = await createSession(runtime, join(dir, MODEL_FILES.decoderQuantized));
  const Tensor = runtime === 'onnxruntime-node' ? ort.Tensor : ortWeb.Tensor;
  const makeTensor = (type: 'int64' | 'float32' | 'bool', data: BigInt64Array | Float32Array | Uint8Array, dims: readonly number[]) =>
    new Tensor(type, data, dims);
  const settings = await readGenerationSettings(dir, config);
  const model: Seq2SeqModel = createOnnxSeq2Seq<ort.Tensor>({
    runEncoder: (feeds, fetches) => encoder.run(feeds, fetches),
    runDecoder: (feeds, fetches) => decoder.run(feeds, fetches),
    makeTensor,
    config,
  });
  const specialTokens = { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId };
  const decode = (ids: number[]) => tokenizer.decode(ids);
  const generation = (maxTokens: number) => ({ decode, maxTokens, ...settings, specialTokens });

  return {
    async translate(text, maxTokens) {
      const start = performance.now();
      let firstDeltaMs = Number.NaN;
      let result = { outputTokens: 0, inputTokens: 0, text: '' };
      for await (const event of generateStream(model, [tokenizer.encode(text, { addEos: true })], generation(maxTokens))) {
        if (event.type === 'token' && event.delta !== '' && Number.isNaN(firstDeltaMs)) firstDeltaMs = performance.now() - start;
        if (event.type === 'done') result = { ...event.translation.usage, text: event.translation.text };
      }
      return { firstDeltaMs, totalMs: performance.now() - start, ...result };
    },
    async decodeCached(source, steps) {
      const { translations } = await generate(model, [source], { ...generation(steps), maxLengthRatio: 0, maxLengthOffset: steps });
      return [...translations[0]!.ids];
    },
    decodeWithoutCache: (source, steps) => decodeWithoutCache({ encoder, decoder, Tensor }, config, settings, source, steps),
    async release() {
      await encoder.release();
      await decoder.release();
    },
  };
}

/** The worker's decoding in Node: the serving graphs, stepped by a StepScheduler, one sentence at a time. */
export async function loadServingInNode(runtime: Runtime, dir: string, config: TransformerConfig, tokenizer: Tokenizer): Promise<Pick<NodeTranslator, 'translate' | 'release'>> {
  const encoder = await createSession(runtime, join(dir, SERVING_FILES.encoder));
  const decoder = await createSession(runtime, join(dir, SERVING_FILES.decoder));
  const Tensor = runtime === 'onnxruntime-node' ? ort.Tensor : ortWeb.Tensor;
  const rows = createServingDecoder<ort.Tensor>({
    runEncoder: (feeds, fetches) => encoder.run(feeds, fetches),
    runDecoder: (feeds, fetches) => decoder.run(feeds, fetches),
    makeTensor: (type, data, dims) => new Tensor(type, data, dims),
    config,
    maxRunTokens: 1 << 20,
  });
  const scheduler = new StepScheduler(rows, new RowBudget({ maxRows: 64, maxCacheBytes: 2 ** 40 }), 1);
  const settings = await readGenerationSettings(dir, config);
  const specialTokens = { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId };
  return {
    async translate(text, maxTokens) {
      const start = performance.now();
      let firstDeltaMs = Number.NaN;
      let result = { outputTokens: 0, inputTokens: 0, text: '' };
      const generation = scheduler.submit([tokenizer.encode(text, { addEos: true })], { decode: (ids) => tokenizer.decode(ids), maxTokens, ...settings, specialTokens }, {});
      while (generation.state !== 'finished') {
        await scheduler.tick();
        for (const event of generation.drain()) {
          if (event.type === 'token' && event.delta !== '' && Number.isNaN(firstDeltaMs)) firstDeltaMs = performance.now() - start;
          if (event.type === 'done') result = { ...event.translation.usage, text: event.translation.text };
        }
      }
      return { firstDeltaMs, totalMs: performance.now() - start, ...result };
    },
    async release() {
      await encoder.release();
      await decoder.release();
    },
  };
}

/**
 * y_t = argmax p(y | y_<t, x), where step t feeds y_0..y_{t-1} (all t of them) with empty pasts and
 * use_cache_branch = false: the merged decoder then recomputes every position, O(t) work per step.
 * Same rules as packages/decoding's greedy search: banned ids never chosen, EOS forced at the last step.
 */
async function decodeWithoutCache(
  sessions: { encoder: ort.InferenceSession; decoder: ort.InferenceSession; Tensor: typeof ort.Tensor },
  config: TransformerConfig,
  { badWordsIds, noRepeatNgramSize }: GenerationSettings,
  source: readonly number[],
  steps: number,
): Promise<number[]> {
  if (badWordsIds.some((sequence) => sequence.length !== 1)) throw new Error('decodeWithoutCache bans single tokens only');
  if (noRepeatNgramSize > 0) throw new Error('decodeWithoutCache has no repetition guard: export the bench model without one');
  const banned = badWordsIds.map((sequence) => sequence[0]!);
  const { Tensor } = sessions;
  const int64 = (values: readonly number[]) => new Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
  const mask = int64(source.map(() => 1));
  const encoded = await sessions.encoder.run({ [ENCODER_INPUTS.inputIds]: int64(source), [ENCODER_INPUTS.attentionMask]: mask });
  const hidden = encoded[ENCODER_OUTPUTS.lastHiddenState]!;
  const emptyPast = new Tensor('float32', new Float32Array(0), [1, config.heads, 0, headDim(config)]);
  const prefix = [config.decoderStartId];
  for (let step = 1; step <= steps; step++) {
    const feeds: Record<string, ort.Tensor> = {
      [DECODER_INPUTS.inputIds]: int64(prefix),
      [DECODER_INPUTS.encoderAttentionMask]: mask,
      [DECODER_INPUTS.encoderHiddenStates]: hidden,
      [DECODER_INPUTS.useCacheBranch]: new Tensor('bool', Uint8Array.of(0), [1]),
    };
    for (const { layer, kind, tensor } of cacheSlots(config.decoderLayers)) feeds[pastName(layer, kind, tensor)] = emptyPast;
    const logits = (await sessions.decoder.run(feeds))[DECODER_OUTPUTS.logits]!; // [1, t, V]
    const vocab = logits.dims[2]!;
    const last = (logits.data as Float32Array).subarray((prefix.length - 1) * vocab, prefix.length * vocab);
    prefix.push(step === steps ? config.eosId : argmax(last, banned));
  }
  return prefix.slice(1, -1);
}

function argmax(row: Float32Array, banned: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < row.length; i++) {
    if (banned.includes(i)) continue;
    if (best < 0 || row[i]! > row[best]!) best = i;
  }
  return best;
}
