// How much decoding one isolate takes on at once, for all the models it serves (a Worker isolate has
// 128 MB in all). Every decoding row keeps its KV cache in JS, and each decoder run copies the caches
// of its rows into the wasm heap, which never shrinks: the run size bounds the heap's growth, the row
// budget the caches. Generations beyond the budget wait in the scheduler's queue.
import { RowBudget } from '@attend/decoding';

export const isolateRows = new RowBudget({
  maxRows: 64, // a beam is a row: 64 greedy streams, or 8 at beam 8
  maxCacheBytes: 24 << 20, // worst case of the admitted rows (source + length limit each): 24 MiB
});

/** Most cache bytes (rows x padded cache and source lengths) one decoder run copies into wasm. */
export const MAX_RUN_BYTES = 8 << 20;

/**
 * Most padded source tokens one encoder run takes. Measured with both 6 + 2-layer models of d 256 and
 * 64 streams arriving at once on each: 69.2 MiB of wasm heap when the encoder took up to 2,048 tokens
 * a run (MAX_RUN_BYTES), 57.6 MiB at 512, in no more time.
 */
export const MAX_ENCODE_TOKENS = 512;
