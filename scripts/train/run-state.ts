// What a checkpoint holds beyond weights and optimizer moments (state.json "extra"): everything the
// loop needs to continue as if it had never stopped.
import type { DataState, FilterCounts } from './token-batches.ts';
import type { SkipReason } from './parallel-corpus.ts';
import { NO_VALIDATION, type StoppingState } from './early-stopping.ts';
import type { Validation } from './validation.ts';

export interface Counters {
  readonly skipped: Readonly<Record<SkipReason, number>>;
  readonly filtered: Readonly<FilterCounts>;
}

export interface RunState {
  readonly data: DataState | null; // null: before the first batch
  // Counters as they stood when the current pool began: resuming re-reads that pool and counts it again.
  readonly countersAtPoolStart: Counters;
  readonly stopping: StoppingState;
  readonly lastValidation: Validation | null;
  readonly elapsedSeconds: number; // training wall time of every earlier process of this run
  readonly targetTokens: number;
}

export const FRESH_RUN: RunState = {
  data: null,
  countersAtPoolStart: { skipped: { columns: 0, empty: 0, utf8: 0, unpaired: 0 }, filtered: { tooLong: 0 } },
  stopping: NO_VALIDATION,
  lastValidation: null,
  elapsedSeconds: 0,
  targetTokens: 0,
};

export function runStateFromExtra(extra: Readonly<Record<string, unknown>>): RunState {
  const run = extra.run as RunState | undefined;
  if (run === undefined || typeof run.elapsedSeconds !== 'number') throw new Error('the checkpoint holds no trainer state (extra.run): it was not written by `npm run train`; pass --fresh');
  return run;
}
