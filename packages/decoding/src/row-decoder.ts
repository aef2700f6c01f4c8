// The seam between the worker's scheduler and a runtime: rows at different positions, each with its
// own source, stepped together. Unlike Seq2SeqModel (a batch that moves in lockstep), a row carries
// its own encoder output and KV cache, so rows of any requests join and leave between steps.
import type { LogProbs } from './scores.ts';

export interface RowDecoder<Row> {
  /** One encoder pass over sources (each ending with EOS): one row per source, before its first token. */
  encode(sources: readonly (readonly number[])[]): Promise<Row[]>;
  /**
   * One decoder step: feeds tokens[i] to rows[i] at its next position and returns ln p of every next
   * token, row-major [rows, vocab]. The rows advance only when it succeeds.
   */
  step(rows: readonly Row[], tokens: readonly number[]): Promise<LogProbs>;
  /** A copy that goes on independently (a beam that forks). */
  fork(row: Row): Row;
  /** Frees what the row holds in the runtime; the row is not used again. */
  release(row: Row): void;
}
