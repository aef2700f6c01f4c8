// Seq2SeqModel over the exported Marian ONNX pair (DESIGN.md, "Tensor contract"), for any
// onnxruntime: the caller injects how to run each session and how to build a tensor, so this file
// imports no runtime. Feeds per decoder step:
//   input_ids [B, 1] int64 (only the new token), encoder_attention_mask [B, S] int64,
//   encoder_hidden_states [B, S, d_model] float32, past_key_values.{i}.{decoder,encoder}.{key,value}
//   [B, heads, past, head_dim] float32, use_cache_branch bool [1].
// First step: empty pasts (past = 0) and use_cache_branch = false, so the graph computes the
// cross-attention K/V; afterwards present.* is fed back as past with use_cache_branch = true. In the
// cached branch the graph's present.*.encoder.* only repeat the pasts fed in (Optimum's merged decoder
// reuses the cross-attention K/V), so the ones from the first step are kept and fed again, and later
// steps do not fetch them: a runtime whose tensors live outside JS (onnxruntime-web's wasm heap) would
// copy 2 x layers tensors of [B, heads, S, head_dim] out per token only to free them.
import {
  cacheSlots,
  DECODER_INPUTS,
  DECODER_OUTPUTS,
  ENCODER_INPUTS,
  ENCODER_OUTPUTS,
  pastName,
  presentName,
  type TransformerConfig,
} from '@attend/model-spec';
import type { Seq2SeqModel, StepOutput } from './seq2seq-model.ts';

export type TensorType = 'int64' | 'float32' | 'bool';
export type TensorData = BigInt64Array | Float32Array | Uint8Array;

/** The part of a runtime tensor the adapter reads (onnxruntime's Tensor fits). */
export interface TensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
  dispose?(): void;
}

/** Builds a runtime tensor; bool data is one byte per element. `(t, d, s) => new ort.Tensor(t, d, s)` fits. */
export type MakeTensor<T extends TensorLike> = (type: TensorType, data: TensorData, dims: readonly number[]) => T;
/** Runs one session, returning at least the outputs named in `fetches`; `(feeds, fetches) => session.run(feeds, fetches)` fits. */
export type RunSession<T extends TensorLike> = (feeds: Record<string, T>, fetches: readonly string[]) => Promise<Readonly<Record<string, T>>>;

export interface OnnxSeq2SeqOptions<T extends TensorLike> {
  readonly runEncoder: RunSession<T>;
  readonly runDecoder: RunSession<T>;
  readonly makeTensor: MakeTensor<T>;
  /** From config.json through fromMarianConfig. */
  readonly config: Pick<TransformerConfig, 'decoderLayers' | 'heads' | 'dModel' | 'padId'>;
}

export interface OnnxMemory<T> {
  readonly hiddenStates: T; // [B, S, d_model]
  readonly attentionMask: T; // [B, S]
}

/** Every past_key_values.* tensor, keyed by its input name. */
export type OnnxCache<T> = ReadonlyMap<string, T>;

/** One decoder run: the next cache, and the tensors of the old one it replaced (the caller frees them). */
export interface MergedStep<T> {
  readonly logits: Float32Array; // [B, V]
  readonly cache: OnnxCache<T>;
  readonly replaced: readonly T[];
}

/** The two graphs' runs, freeing nothing the caller passed in. */
export function createMergedGraphs<T extends TensorLike>(options: OnnxSeq2SeqOptions<T>) {
  const { runEncoder, runDecoder, makeTensor, config } = options;
  const slots = cacheSlots(config.decoderLayers);
  const headDim = config.dModel / config.heads;
  const encoderFetches = [ENCODER_OUTPUTS.lastHiddenState];
  const firstStepFetches = [DECODER_OUTPUTS.logits, ...slots.map((s) => presentName(s.layer, s.kind, s.tensor))];
  const cachedStepFetches = [DECODER_OUTPUTS.logits, ...slots.filter((s) => s.kind === 'decoder').map((s) => presentName(s.layer, s.kind, s.tensor))];

  async function encode(inputIds: readonly (readonly number[])[]): Promise<OnnxMemory<T>> {
    const batch = inputIds.length;
    const length = Math.max(...inputIds.map((row) => row.length));
    const ids = new BigInt64Array(batch * length).fill(BigInt(config.padId));
    const mask = new BigInt64Array(batch * length);
    for (const [b, row] of inputIds.entries()) {
      for (const [t, id] of row.entries()) {
        ids[b * length + t] = BigInt(id);
        mask[b * length + t] = 1n;
      }
    }
    const idsTensor = makeTensor('int64', ids, [batch, length]);
    const attentionMask = makeTensor('int64', mask, [batch, length]);
    let outputs: Readonly<Record<string, T>>;
    try {
      outputs = await runEncoder({ [ENCODER_INPUTS.inputIds]: idsTensor, [ENCODER_INPUTS.attentionMask]: attentionMask }, encoderFetches);
    } catch (error) {
      attentionMask.dispose?.();
      throw error;
    } finally {
      idsTensor.dispose?.();
    }
    const hiddenStates = output(outputs, ENCODER_OUTPUTS.lastHiddenState);
    disposeExcept(outputs, [hiddenStates]);
    return { hiddenStates, attentionMask };
  }

  async function run(memory: OnnxMemory<T>, tokens: readonly number[], cache: OnnxCache<T> | null): Promise<MergedStep<T>> {
    const batch = tokens.length;
    const owned = [
      makeTensor('int64', BigInt64Array.from(tokens, (id) => BigInt(id)), [batch, 1]),
      makeTensor('bool', Uint8Array.of(cache ? 1 : 0), [1]),
    ];
    const feeds: Record<string, T> = {
      [DECODER_INPUTS.inputIds]: owned[0]!,
      [DECODER_INPUTS.encoderAttentionMask]: memory.attentionMask,
      [DECODER_INPUTS.encoderHiddenStates]: memory.hiddenStates,
      [DECODER_INPUTS.useCacheBranch]: owned[1]!,
    };
    for (const { layer, kind, tensor } of slots) {
      const name = pastName(layer, kind, tensor);
      const past = cache ? cache.get(name) : makeTensor('float32', new Float32Array(0), [batch, config.heads, 0, headDim]);
      if (!past) throw new Error(`KV cache lacks ${name}`);
      if (!cache) owned.push(past);
      feeds[name] = past;
    }
    let outputs: Readonly<Record<string, T>>;
    try {
      outputs = await runDecoder(feeds, cache ? cachedStepFetches : firstStepFetches);
    } finally {
      for (const tensor of owned) tensor.dispose?.();
    }
    const logits = output(outputs, DECODER_OUTPUTS.logits);
    const next = new Map<string, T>();
    for (const { layer, kind, tensor } of slots) {
      const name = pastName(layer, kind, tensor);
      const reused = kind === 'encoder' ? cache?.get(name) : undefined;
      next.set(name, reused ?? output(outputs, presentName(layer, kind, tensor)));
    }
    const rows = lastPosition(logits);
    disposeExcept(outputs, [...next.values()]);
    const kept = new Set(next.values());
    return { logits: rows, cache: next, replaced: [...(cache?.values() ?? [])].filter((tensor) => !kept.has(tensor)) };
  }

  return { encode, run };
}

export function createOnnxSeq2Seq<T extends TensorLike>(options: OnnxSeq2SeqOptions<T>): Seq2SeqModel<OnnxMemory<T>, OnnxCache<T>> {
  const { makeTensor } = options;
  const graphs = createMergedGraphs(options);

  async function step(memory: OnnxMemory<T>, tokens: readonly number[], cache: OnnxCache<T> | null): Promise<StepOutput<OnnxCache<T>>> {
    const { logits, cache: next, replaced } = await graphs.run(memory, tokens, cache);
    for (const tensor of replaced) tensor.dispose?.();
    return { logits, cache: next };
  }

  async function selectRows(memory: OnnxMemory<T>, cache: OnnxCache<T> | null, rows: readonly number[]) {
    const batch = memory.hiddenStates.dims[0]!;
    if (rows.length === batch && rows.every((row, i) => row === i)) return { memory, cache };
    for (const row of rows) if (!(Number.isInteger(row) && row >= 0 && row < batch)) throw new RangeError(`row ${row} is outside the batch of ${batch}`);
    const gather = (tensor: T): T => {
      const gathered = gatherRows(tensor, rows, makeTensor);
      tensor.dispose?.();
      return gathered;
    };
    const nextMemory = { hiddenStates: gather(memory.hiddenStates), attentionMask: gather(memory.attentionMask) };
    const nextCache = cache && new Map([...cache].map(([name, tensor]) => [name, gather(tensor)] as const));
    return { memory: nextMemory, cache: nextCache };
  }

  return { encode: graphs.encode, step, selectRows, dispose: disposeState };
}

/** Frees the runtime resources held by memory and cache. */
export function disposeState<T extends TensorLike>(memory: OnnxMemory<T>, cache: OnnxCache<T> | null): void {
  memory.hiddenStates.dispose?.();
  memory.attentionMask.dispose?.();
  for (const tensor of cache?.values() ?? []) tensor.dispose?.();
}

function output<T extends TensorLike>(outputs: Readonly<Record<string, T>>, name: string): T {
  const tensor = outputs[name];
  if (!tensor) throw new Error(`the ONNX session returned no "${name}" (got ${Object.keys(outputs).join(', ')}): is this a Marian export?`);
  return tensor;
}

function disposeExcept<T extends TensorLike>(outputs: Readonly<Record<string, T>>, kept: readonly T[]): void {
  for (const tensor of Object.values(outputs)) if (!kept.includes(tensor)) tensor.dispose?.();
}

/** logits [B, T, V] -> a copy of the scores after the last position, [B, V] (the tensor is freed next). */
function lastPosition(logits: TensorLike): Float32Array {
  if (!(logits.data instanceof Float32Array) || logits.dims.length !== 3) {
    throw new Error(`logits must be float32 [batch, length, vocab], got ${logits.type} [${logits.dims.join(', ')}]`);
  }
  const [batch, length, vocab] = logits.dims as [number, number, number];
  const rows = new Float32Array(batch * vocab);
  for (let b = 0; b < batch; b++) rows.set(logits.data.subarray(((b + 1) * length - 1) * vocab, (b + 1) * length * vocab), b * vocab);
  return rows;
}

/** out[i] = tensor[rows[i]] along the batch axis (axis 0). */
export function gatherRows<T extends TensorLike>(tensor: T, rows: readonly number[], makeTensor: MakeTensor<T>): T {
  const batch = tensor.dims[0]!;
  const { data } = tensor;
  const dims = [rows.length, ...tensor.dims.slice(1)];
  const size = batch === 0 ? 0 : (data as { length: number }).length / batch;
  if (data instanceof Float32Array) {
    const out = new Float32Array(rows.length * size);
    rows.forEach((row, i) => out.set(data.subarray(row * size, (row + 1) * size), i * size));
    return makeTensor('float32', out, dims);
  }
  if (data instanceof BigInt64Array) {
    const out = new BigInt64Array(rows.length * size);
    rows.forEach((row, i) => out.set(data.subarray(row * size, (row + 1) * size), i * size));
    return makeTensor('int64', out, dims);
  }
  throw new Error(`cannot reorder a ${tensor.type} tensor: only float32 and int64 tensors in CPU memory`);
}
