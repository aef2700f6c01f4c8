// The seam between generation and a runtime. Generation only sees token ids and logits; the runtime
// (onnxruntime-web in the Worker, onnxruntime-node or a fake in tests) hides its tensors behind two
// opaque types: Memory (the encoder's output for each batch row) and Cache (the decoder's KV cache).

/** What one decoder step returns. */
export interface StepOutput<Cache> {
  /** Next-token scores before softmax, row-major [batch, vocab]. */
  readonly logits: Float32Array;
  readonly cache: Cache;
}

/**
 * An encoder-decoder model that decodes incrementally: each step feeds one new token per row and
 * reuses the KV cache, so a token costs O(1) decoder steps.
 *
 * Ownership: `step` and `selectRows` consume the memory/cache they are given when they succeed (the
 * caller keeps only what they return); when they throw, the caller still owns its arguments and
 * frees them with `dispose`.
 */
export interface Seq2SeqModel<Memory = unknown, Cache = unknown> {
  /** Encodes ragged source rows (each already ending with EOS); the model pads and masks them. */
  encode(inputIds: readonly (readonly number[])[]): Promise<Memory>;
  /** Runs the decoder on `tokens[row]` after the prefix held by `cache` (null on the first step). */
  step(memory: Memory, tokens: readonly number[], cache: Cache | null): Promise<StepOutput<Cache>>;
  /**
   * Builds a batch whose row i is the old row `rows[i]`, for memory and cache alike: expands sources
   * into beams, reorders beams, drops finished rows. Rows may repeat.
   */
  selectRows(memory: Memory, cache: Cache | null, rows: readonly number[]): Promise<{ memory: Memory; cache: Cache | null }>;
  /** Frees the runtime resources held by memory and cache. */
  dispose(memory: Memory, cache: Cache | null): void;
}
