// One source's search, step by step, whoever runs the model: generate.ts steps a fixed batch of
// sources through a Seq2SeqModel, the worker's scheduler steps the rows of every request together.
// Each search says which tokens its rows feed next and turns its rows' scores into events.
import { BeamSearch } from './beam-search.ts';
import { ConstrainedSearch } from './constraints/constrained-search.ts';
import { GreedySearch } from './greedy-search.ts';
import type { ResolvedOptions } from './options.ts';
import type { LogProbs } from './scores.ts';
import type { GenerationEvent } from './translation.ts';

export interface SearchStep {
  readonly events: readonly GenerationEvent[];
  /** For each row of the next step, the row of this step whose cache it continues; [] once done. */
  readonly parents: readonly number[];
}

/** What a search may hold at once: rows, and cached tokens summed over them (source plus length limit per row). */
export interface Footprint {
  readonly rows: number;
  readonly cacheTokens: number;
}

export interface SourceSearch {
  readonly footprint: Footprint;
  /** The token each of its rows feeds next: one row for greedy, one per live beam for beam search. */
  readonly tokens: readonly number[];
  /** Consumes ln p(next token) of its rows at this step ([rows, vocab], row-major, rows as in `tokens`). */
  advance(logProbs: LogProbs): SearchStep;
}

/** The search for `source` (ids ending with EOS), whose events carry `index`; constrained where options.constraints gives it phrases. */
export function startSearch(source: readonly number[], index: number, options: ResolvedOptions): SourceSearch {
  const plain = options.numBeams === 1 ? new GreedySearch(source, index, options) : new BeamSearch(source, index, options);
  const phrases = options.constraints[index] ?? [];
  return phrases.length === 0 ? plain : new ConstrainedSearch(source, index, options, phrases, plain);
}
