// The global batch of one update: accumulate x worldSize micro-batches, read in order from the batch
// stream; rank r trains on micro-batches r, r + W, r + 2W, ... of it. Every rank reads the whole stream
// (as fairseq's sharded iterators do), so every rank holds the same data position and counters, the
// checkpoint's position stays exact whatever the number of ranks, and each rank knows the global
// target-token count that weights its own micro-batches.
import type { Tokenizer } from '@attend/tokenizer';
import { targetTokens } from './batch-tensors.ts';
import { SkipCounts } from './parallel-corpus.ts';
import type { Counters, RunState } from './run-state.ts';
import { type BatchRecord, type DataState, type Example, type FilterCounts, batchStream } from './token-batches.ts';
import type { TrainConfig } from './train-config.ts';

export interface MicroBatch {
  readonly examples: readonly Example[];
  readonly index: number; // position in the global batch: 0 .. accumulate x worldSize - 1
}

export interface StepShare {
  readonly micro: readonly MicroBatch[]; // this rank's micro-batches
  readonly targetTokens: number; // of the whole global batch, over every rank
}

export class StepBatches {
  readonly counters: { skips: SkipCounts; filtered: FilterCounts };
  #countersAtPoolStart: Counters;
  #position: DataState | null;
  readonly #stream: AsyncGenerator<BatchRecord>;
  readonly #size: number;

  constructor(
    config: TrainConfig,
    tokenizer: Tokenizer,
    from: RunState,
    private readonly ranks: { readonly rank: number; readonly worldSize: number },
  ) {
    this.counters = { skips: new SkipCounts(), filtered: { ...from.countersAtPoolStart.filtered } };
    Object.assign(this.counters.skips.counts, from.countersAtPoolStart.skipped);
    this.#countersAtPoolStart = from.countersAtPoolStart;
    this.#position = from.data;
    this.#size = config.batch.accumulate * ranks.worldSize;
    const encode = (pair: { source: string; target: string }): Example => ({ source: tokenizer.encode(pair.source), target: tokenizer.encode(pair.target) });
    const { maxTokens, maxLength, poolSize } = config.batch;
    this.#stream = batchStream(config.corpora, encode, { maxTokens, maxLength, poolSize, seed: config.run.seed }, this.counters, from.data ?? undefined);
  }

  async next(): Promise<StepShare> {
    const micro: MicroBatch[] = [];
    let tokens = 0;
    for (let index = 0; index < this.#size; index++) {
      const next = await this.#stream.next();
      if (next.done) throw new Error('the batch stream ended: corpora cycle forever, so this is a bug');
      tokens += targetTokens(next.value.examples);
      if (index % this.ranks.worldSize === this.ranks.rank) micro.push({ examples: next.value.examples, index });
      // The last batch of a pool: the next pool starts here, with the counters as they now stand.
      if (next.value.state.batchesDone === 0) this.#countersAtPoolStart = { skipped: { ...this.counters.skips.counts }, filtered: { ...this.counters.filtered } };
      this.#position = next.value.state;
    }
    return { micro, targetTokens: tokens };
  }

  /** Where the next global batch starts: what a checkpoint stores to resume exactly. */
  get position(): DataState | null {
    return this.#position;
  }

  get countersAtPoolStart(): Counters {
    return this.#countersAtPoolStart;
  }

  get epoch(): number {
    return this.#position?.epoch ?? 0;
  }

  async close(): Promise<void> {
    await this.#stream.return(undefined);
  }
}
