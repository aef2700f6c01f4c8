// What batching can give at most on these kernels: the serving decoder graph alone in onnxruntime-web
// (the worker's WASM build, one thread, in Node), one decoder run over 1 row and over 16 rows of the
// sweep's lengths, with no scheduler, HTTP or SSE around it. Tokens/s at 16 rows over tokens/s at 1
// row bounds the sweep's "16 clients / 1 client" from above.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheName, SERVING_DECODER_INPUTS, SERVING_DECODER_OUTPUTS, SERVING_FILES, type TransformerConfig } from '@attend/model-spec';
import * as ortWeb from 'onnxruntime-web/wasm';

export interface StepCeiling {
  /** Fastest ms per decoder run, by rows in the run. */
  readonly msPerRun: Readonly<Record<number, number>>;
  /** Rows-per-second at 16 rows over rows-per-second at 1. */
  readonly ratio16Over1: number;
}

const WARMUP_RUNS = 20;
const TIMED_RUNS = 64; // rows x runs per round, split over the runs of one round
const ROUNDS = 7;

/** `cacheLength`, `sourceLength`: multiples of KEY_ALIGNMENT, as the worker pads them. */
export async function measureStepCeiling(dir: string, config: TransformerConfig, lengths: { cacheLength: number; sourceLength: number }): Promise<StepCeiling> {
  ortWeb.env.wasm.numThreads = 1;
  const bytes = await readFile(join(dir, SERVING_FILES.decoder));
  const session = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'basic', enableMemPattern: false });
  try {
    const msPerRun: Record<number, number> = {};
    for (const rows of [1, 16]) msPerRun[rows] = await fastestRun(session, stepFeeds(config, rows, lengths), Math.max(4, TIMED_RUNS / rows));
    return { msPerRun, ratio16Over1: (16 * msPerRun[1]!) / msPerRun[16]! };
  } finally {
    await session.release();
  }
}

async function fastestRun(session: ortWeb.InferenceSession, feeds: Record<string, ortWeb.Tensor>, runs: number): Promise<number> {
  const fetches = [SERVING_DECODER_OUTPUTS.logProbs];
  for (let i = 0; i < WARMUP_RUNS; i++) await session.run(feeds, fetches);
  let fastest = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds, fetches);
    fastest = Math.min(fastest, (performance.now() - start) / runs);
  }
  return fastest;
}

/** Rows at position cacheLength - 1 with random caches: the kernels' cost does not depend on the values. */
function stepFeeds(config: TransformerConfig, rows: number, { cacheLength, sourceLength }: { cacheLength: number; sourceLength: number }): Record<string, ortWeb.Tensor> {
  const d = config.dModel;
  const int64 = (value: number, length: number, dims: number[]) => new ortWeb.Tensor('int64', new BigInt64Array(length).fill(BigInt(value)), dims);
  const random = (length: number, dims: number[]) => new ortWeb.Tensor('float32', Float32Array.from({ length }, () => Math.random() - 0.5), dims);
  const feeds: Record<string, ortWeb.Tensor> = {
    [SERVING_DECODER_INPUTS.inputIds]: int64(5, rows, [rows, 1]),
    [SERVING_DECODER_INPUTS.positionIds]: int64(cacheLength - 1, rows, [rows, 1]),
    [SERVING_DECODER_INPUTS.encoderAttentionMask]: int64(1, rows * sourceLength, [rows, sourceLength]),
  };
  for (let layer = 0; layer < config.decoderLayers; layer++) {
    for (const tensor of ['key', 'value'] as const) {
      feeds[cacheName(layer, 'self', tensor)] = random(rows * cacheLength * d, [rows, cacheLength, d]);
      feeds[cacheName(layer, 'cross', tensor)] = random(rows * sourceLength * d, [rows, sourceLength, d]);
    }
  }
  return feeds;
}
