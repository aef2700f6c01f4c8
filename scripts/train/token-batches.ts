// Batching by token count with length bucketing (fairseq / Marian "mini-batch-fit" style): read a pool
// of pairs, sort it by length so each batch holds similar lengths (little padding), cut batches whose
// padded size stays under the token budget, then shuffle the batch order.
//
// Resume is exact: a batch's identity is (mix position before its pool, pool index, batch index), and
// the pool's batch order comes from a PRNG seeded by (seed, pool index).
import { type MixPosition, mixCorpora } from './corpus-mix.ts';
import type { CorpusSpec, Pair, SkipCounts } from './parallel-corpus.ts';
import { mulberry32, shuffleInPlace } from './random.ts';

export interface Example {
  readonly source: readonly number[];
  readonly target: readonly number[];
}

export interface DataState {
  readonly poolStart: MixPosition | null; // where the current pool began reading
  readonly poolIndex: number;
  readonly batchesDone: number; // batches of the current pool already trained on
  readonly epoch: number; // epochs completed on the first corpus
}

export interface BatchOptions {
  readonly maxTokens: number; // padded tokens per batch, max(src, tgt) length x pairs
  readonly maxLength: number; // pairs with a longer side (in tokens) are dropped and counted
  readonly poolSize: number; // pairs sorted together; larger = less padding, more memory
  readonly seed: number;
}

export interface BatchRecord {
  readonly examples: readonly Example[];
  readonly state: DataState; // state after this batch: resume here to continue with the next one
}

export interface FilterCounts {
  tooLong: number;
}

/** Splits one sorted pool into batches under the token budget. */
export function cutBatches(pool: readonly Example[], maxTokens: number): Example[][] {
  const sorted = [...pool].sort((a, b) => a.target.length - b.target.length || a.source.length - b.source.length);
  const batches: Example[][] = [];
  let batch: Example[] = [];
  let longest = 0;
  for (const example of sorted) {
    const length = Math.max(example.source.length, example.target.length);
    const widest = Math.max(longest, length);
    if (batch.length > 0 && widest * (batch.length + 1) > maxTokens) {
      batches.push(batch);
      batch = [];
      longest = 0;
    }
    batch.push(example);
    longest = Math.max(longest, length);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

export async function* batchStream(
  specs: readonly CorpusSpec[],
  encode: (pair: Pair) => Example,
  options: BatchOptions,
  counters: { skips: SkipCounts; filtered: FilterCounts },
  from?: DataState,
): AsyncGenerator<BatchRecord> {
  let poolStart = from?.poolStart ?? null;
  let poolIndex = from?.poolIndex ?? 0;
  let skipBatches = from?.batchesDone ?? 0;
  const pairs = mixCorpora(specs, counters.skips, poolStart ?? undefined);
  let epochAtPoolStart = from?.epoch ?? 0;
  try {
    for (;;) {
      const pool: Example[] = [];
      let last: MixPosition | null = poolStart;
      let epoch = epochAtPoolStart;
      while (pool.length < options.poolSize) {
        const next = await pairs.next();
        if (next.done) break;
        last = next.value.mix;
        epoch = next.value.mix.corpora[0]?.epoch ?? 0;
        const example = encode(next.value.pair);
        if (example.source.length > options.maxLength || example.target.length > options.maxLength) {
          counters.filtered.tooLong++;
          continue;
        }
        pool.push(example);
      }
      const batches = shuffleInPlace(cutBatches(pool, options.maxTokens), mulberry32(options.seed * 1_000_003 + poolIndex));
      for (let b = skipBatches; b < batches.length; b++) {
        const done = b + 1 === batches.length;
        yield {
          examples: batches[b]!,
          state: done
            ? { poolStart: last, poolIndex: poolIndex + 1, batchesDone: 0, epoch }
            : { poolStart, poolIndex, batchesDone: b + 1, epoch: epochAtPoolStart },
        };
      }
      skipBatches = 0;
      poolStart = last;
      poolIndex++;
      epochAtPoolStart = epoch;
    }
  } finally {
    await pairs.return(undefined);
  }
}
