// RowDecoder over the serving graphs (model-spec serving-names.ts), for any onnxruntime: the caller
// injects how to run each session and build a tensor, as for createOnnxSeq2Seq. Each row keeps its
// caches in JS, [length, d_model] per layer and tensor: the cross-attention K/V from the encoder
// (shared by the row's forks) and its own self-attention K/V, to which each step appends the one new
// token's. A step pads rows to a common length (KEY_ALIGNMENT) and copies them in; only ln p of the
// next tokens and the new K/V come back out of the runtime. A batch over `maxRunTokens` padded tokens
// runs in several runs of similar lengths, so the runtime's heap stays bounded whatever the load. The
// padded feeds are kept between steps (serving-cache-feeds.ts): a run of the same rows as the step
// before writes only their newest slots.
import {
  cacheName,
  ENCODER_INPUTS,
  KEY_ALIGNMENT,
  newSelfName,
  SERVING_DECODER_INPUTS,
  SERVING_DECODER_OUTPUTS,
  type TransformerConfig,
} from '@attend/model-spec';
import type { MakeTensor, RunSession, TensorLike } from './onnx-seq2seq.ts';
import type { RowDecoder } from './row-decoder.ts';
import { CacheFeeds } from './serving-cache-feeds.ts';

export interface ServingDecoderOptions<T extends TensorLike> {
  readonly runEncoder: RunSession<T>;
  readonly runDecoder: RunSession<T>;
  readonly makeTensor: MakeTensor<T>;
  readonly config: Pick<TransformerConfig, 'decoderLayers' | 'dModel' | 'padId'>;
  /** Most padded tokens (rows x (cache + source length)) one decoder or encoder run takes. */
  readonly maxRunTokens: number;
  /**
   * Most padded source tokens one encoder run takes, when lower (default maxRunTokens): an encoder
   * run's activations, more than any cache, set the peak of the runtime's heap.
   */
  readonly maxEncodeTokens?: number;
}

export interface ServingRow {
  readonly sourceLength: number;
  /** Per layer and tensor (index 2 * layer + 0 for K, + 1 for V): [sourceLength, d_model]. */
  readonly cross: readonly Float32Array[];
  /** The same for self-attention: [capacity, d_model], slots 0..position-1 filled. */
  self: Float32Array[];
  /** Tokens fed so far (the decoder start included). */
  position: number;
}

const TENSORS = ['key', 'value'] as const;
const align = (length: number) => Math.ceil(length / KEY_ALIGNMENT) * KEY_ALIGNMENT;

export function createServingDecoder<T extends TensorLike>(options: ServingDecoderOptions<T>): RowDecoder<ServingRow> {
  const { makeTensor, config } = options;
  const d = config.dModel;
  const slots = Array.from({ length: 2 * config.decoderLayers }, (_, k) => ({ layer: k >> 1, tensor: TENSORS[k & 1]! }));
  const crossNames = slots.map((s) => cacheName(s.layer, 'cross', s.tensor));
  const selfNames = slots.map((s) => cacheName(s.layer, 'self', s.tensor));
  const newNames = slots.map((s) => newSelfName(s.layer, s.tensor));
  const int64 = (values: readonly number[], dims: readonly number[]) => makeTensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
  const feedsOfRun: CacheFeeds[] = []; // one per run of a step, in order

  /** Sources -> rows, in runs of at most maxRunTokens padded tokens. */
  async function encode(sources: readonly (readonly number[])[]): Promise<ServingRow[]> {
    const rows: ServingRow[] = new Array(sources.length);
    const budget = Math.min(options.maxRunTokens, options.maxEncodeTokens ?? options.maxRunTokens);
    for (const chunk of chunks(sources.map((s) => align(s.length)), budget)) {
      const length = Math.max(...chunk.map((i) => align(sources[i]!.length)));
      const ids = chunk.flatMap((i) => padded(sources[i]!, length, config.padId));
      const mask = chunk.flatMap((i) => padded(sources[i]!.map(() => 1), length, 0));
      const feeds = { [ENCODER_INPUTS.inputIds]: int64(ids, [chunk.length, length]), [ENCODER_INPUTS.attentionMask]: int64(mask, [chunk.length, length]) };
      const outputs = await runDisposingFeeds(options.runEncoder, feeds, crossNames);
      chunk.forEach((i, b) => {
        const n = sources[i]!.length;
        const cross = crossNames.map((name) => floats(outputs, name).slice(b * length * d, (b * length + n) * d));
        rows[i] = { sourceLength: n, cross, self: slots.map(() => new Float32Array(KEY_ALIGNMENT * d)), position: 0 };
      });
    }
    return rows;
  }

  /** 1) run every chunk  2) only then append each row's new K/V, so that a failed step changes no row. */
  async function step(rows: readonly ServingRow[], tokens: readonly number[]): Promise<Float32Array> {
    let logProbs: Float32Array | undefined;
    const appended: { row: ServingRow; values: Float32Array[] }[] = [];
    for (const [run, chunk] of chunks(rows.map((r) => align(r.position + 1) + align(r.sourceLength)), options.maxRunTokens).entries()) {
      feedsOfRun[run] ??= new CacheFeeds(d, slots.length);
      const feeds = stepFeeds(feedsOfRun[run], chunk.map((i) => rows[i]!), chunk.map((i) => tokens[i]!));
      const outputs = await runDisposingFeeds(options.runDecoder, feeds, [SERVING_DECODER_OUTPUTS.logProbs, ...newNames]);
      const scores = floats(outputs, SERVING_DECODER_OUTPUTS.logProbs);
      const vocab = scores.length / chunk.length;
      logProbs ??= new Float32Array(rows.length * vocab);
      chunk.forEach((i, b) => {
        logProbs!.set(scores.subarray(b * vocab, (b + 1) * vocab), i * vocab);
        appended.push({ row: rows[i]!, values: newNames.map((name) => floats(outputs, name).slice(b * d, (b + 1) * d)) });
      });
    }
    for (const { row, values } of appended) append(row, values);
    return logProbs ?? new Float32Array(0);
  }

  function stepFeeds(cacheFeeds: CacheFeeds, rows: readonly ServingRow[], tokens: readonly number[]): Record<string, T> {
    const batch = rows.length;
    const cacheLength = align(Math.max(...rows.map((r) => r.position + 1)));
    const sourceLength = align(Math.max(...rows.map((r) => r.sourceLength)));
    const { self, cross } = cacheFeeds.fill(rows, cacheLength, sourceLength);
    const feeds: Record<string, T> = {
      [SERVING_DECODER_INPUTS.inputIds]: int64(tokens, [batch, 1]),
      [SERVING_DECODER_INPUTS.positionIds]: int64(rows.map((r) => r.position), [batch, 1]),
      [SERVING_DECODER_INPUTS.encoderAttentionMask]: int64(rows.flatMap((r) => padded(new Array<number>(r.sourceLength).fill(1), sourceLength, 0)), [batch, sourceLength]),
    };
    slots.forEach((_, k) => {
      feeds[selfNames[k]!] = makeTensor('float32', self[k]!, [batch, cacheLength, d]);
      feeds[crossNames[k]!] = makeTensor('float32', cross[k]!, [batch, sourceLength, d]);
    });
    return feeds;
  }

  function append(row: ServingRow, values: readonly Float32Array[]): void {
    const end = (row.position + 1) * d;
    if (end > row.self[0]!.length) row.self = row.self.map((cache) => grown(cache, 2 * cache.length));
    values.forEach((value, k) => row.self[k]!.set(value, row.position * d));
    row.position++;
  }

  return {
    encode,
    step,
    fork: (row) => ({ ...row, self: row.self.map((cache) => cache.slice()) }),
    release: () => {}, // a row's caches are JS arrays: the garbage collector frees them
  };
}

/** Runs a session, then disposes the feeds (made for this run only). */
async function runDisposingFeeds<T extends TensorLike>(run: RunSession<T>, feeds: Record<string, T>, fetches: readonly string[]): Promise<Readonly<Record<string, T>>> {
  try {
    return await run(feeds, fetches);
  } finally {
    for (const tensor of Object.values(feeds)) tensor.dispose?.();
  }
}

function floats(outputs: Readonly<Record<string, TensorLike>>, name: string): Float32Array {
  const tensor = outputs[name];
  if (!(tensor?.data instanceof Float32Array)) throw new Error(`the serving graph returned no float32 "${name}": re-export the model (npm run export)`);
  return tensor.data;
}

const padded = (values: readonly number[], length: number, fill: number): number[] => [...values, ...new Array<number>(length - values.length).fill(fill)];

function grown(cache: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size);
  out.set(cache);
  return out;
}

/**
 * Indices grouped into runs of similar cost (sorted by it), each run's rows x largest cost at most
 * `budget` (a single index may exceed it alone).
 */
function chunks(costs: readonly number[], budget: number): number[][] {
  const order = costs.map((_, i) => i).sort((a, b) => costs[a]! - costs[b]!);
  const out: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    if (current.length > 0 && (current.length + 1) * costs[i]! > budget) {
      out.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length > 0) out.push(current);
  return out;
}
