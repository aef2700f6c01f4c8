// A bound on the translations decoding at once in an isolate. Every open generation keeps its KV cache
// (self- and cross-attention keys and values, 2 x layers x d_model floats per token each: 12 KB per
// token for the tiny model, 48 KB for the base one) in the isolate's 128 MB beside the model, and
// decoder runs take turns on the one wasm instance anyway: past a few streams, more at once adds
// memory, not throughput. The streams beyond the bound wait for a slot.
//
// A waiting request polls on a timer of its own instead of awaiting a promise that a finishing request
// resolves: workerd resumes a continuation in the request that settled its promise, and the waiter's
// next write would then fail with "Cannot perform I/O on behalf of a different request".

export const MAX_CONCURRENT_GENERATIONS = 16;
const POLL_MS = 5;

export class GenerationSlots {
  #busy = 0;

  constructor(readonly limit: number) {}

  get busy(): number {
    return this.#busy;
  }

  /** Waits for a free slot (or throws the signal's reason); the returned function gives it back. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    while (this.#busy >= this.limit) {
      signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    signal?.throwIfAborted();
    this.#busy++;
    let held = true;
    return () => {
      if (held) this.#busy--;
      held = false;
    };
  }
}

export const generationSlots = new GenerationSlots(MAX_CONCURRENT_GENERATIONS);
