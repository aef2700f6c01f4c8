// Beam search over one source (Wu et al. 2016 §7 for the length normalization idea; the penalty here
// is the simple lp(Y) = |Y|^alpha of fairseq and Hugging Face, not GNMT's ((5 + |Y|) / 6)^alpha).
// Per step:
//   1) score every beam's next tokens: ln p of its row, banned tokens excluded, only EOS allowed at
//      the length limit,
//   2) let the candidate selection (beam-candidates.ts, replaceable) pick the next beams and close
//      the hypotheses that end,
//   3) the source is done once W hypotheses are closed (early stopping, as fairseq and Hugging Face's
//      early_stopping=True): its best hypothesis is emitted, token by token, then `done`.
// Rows are the live beams; the first step has one (W copies of it would only propose duplicates).
import type { Beam, Hypothesis, SelectCandidates } from './beam-candidates.ts';
import { bannedTokens, lengthLimit, type ResolvedOptions } from './options.ts';
import type { LogProbs } from './scores.ts';
import type { SearchStep, SourceSearch } from './search.ts';
import { TextStreamer } from './text-streamer.ts';
import type { Alternative, GenerationEvent, Translation } from './translation.ts';

/** What a constrained search (constrained-search.ts) changes: the width, the length limit and the selection. */
export interface BeamOverrides {
  readonly width: number;
  readonly limit: number;
  readonly selectCandidates: SelectCandidates;
}

export class BeamSearch implements SourceSearch {
  readonly #index: number;
  readonly #sourceTokens: number;
  readonly #limit: number;
  readonly #width: number;
  readonly #select: SelectCandidates;
  readonly #options: ResolvedOptions;
  readonly #closed: Hypothesis[] = [];
  #beams: readonly Beam[] = [{ ids: [], tokenLogProbs: [], logProb: 0 }];

  /** With `overrides`, a search that may end without a hypothesis (`emit` then yields nothing): no selection closed one. */
  constructor(
    source: readonly number[],
    index: number,
    options: ResolvedOptions,
    private readonly overrides?: BeamOverrides,
  ) {
    this.#index = index;
    this.#sourceTokens = source.length;
    this.#limit = overrides?.limit ?? lengthLimit(options, source.length);
    this.#width = overrides?.width ?? options.numBeams;
    this.#select = overrides?.selectCandidates ?? options.selectCandidates;
    this.#options = options;
  }

  get footprint(): { rows: number; cacheTokens: number } {
    return { rows: this.#width, cacheTokens: this.#width * (this.#sourceTokens + this.#limit) };
  }

  /** Whether it ended with at least one hypothesis. */
  get found(): boolean {
    return this.#closed.length > 0;
  }

  get tokens(): readonly number[] {
    const { decoderStart } = this.#options.specialTokens;
    return this.#beams.map((beam) => beam.ids[beam.ids.length - 1] ?? decoderStart);
  }

  advance(rows: LogProbs): SearchStep {
    const { lengthPenalty, specialTokens } = this.#options;
    const width = this.#width;
    const vocab = rows.length / this.#beams.length;
    const logProbs = this.#beams.map((beam, row) => this.#allowed(beam, Float64Array.from(rows.subarray(row * vocab, (row + 1) * vocab))));
    const selection = this.#select({ beams: this.#beams, logProbs, width, eos: specialTokens.eos, lengthPenalty });
    this.#closed.push(...selection.closed);
    this.#beams = selection.beams;
    if (this.#closed.length < width && this.#beams.length > 0) return { events: [], parents: selection.parents };
    return { events: this.#emit(), parents: [] };
  }

  /** Step 1)'s rules on one beam's ln p. */
  #allowed(beam: Beam, logProbs: Float64Array): Float64Array {
    if (beam.ids.length + 1 >= this.#limit) {
      const eos = this.#options.specialTokens.eos;
      const atLimit = new Float64Array(logProbs.length).fill(-Infinity);
      atLimit[eos] = logProbs[eos]!;
      return atLimit;
    }
    for (const id of bannedTokens(this.#options, beam.ids)) logProbs[id] = -Infinity;
    return logProbs;
  }

  /** Step 3): the best hypothesis as token events and `done`. */
  #emit(): GenerationEvent[] {
    if (this.#closed.length === 0) {
      if (this.overrides) return [];
      throw new Error('every token is banned: check badWordsIds');
    }
    const ranked = [...this.#closed].sort((a, b) => b.score - a.score);
    const best = ranked[0]!;
    const index = this.#index;
    const { eos } = this.#options.specialTokens;
    const streamer = new TextStreamer(this.#options.decode);
    const events: GenerationEvent[] = best.ids.map((id, t) => ({ type: 'token', index, tokenId: id, delta: streamer.push(id), logProb: best.tokenLogProbs[t]! }));
    events.push({ type: 'token', index, tokenId: eos, delta: streamer.finish(), logProb: best.tokenLogProbs[best.ids.length]! });
    const translation: Translation = {
      ids: best.ids,
      text: streamer.text,
      finishReason: best.ids.length + 1 >= this.#limit ? 'length' : 'eos',
      usage: { inputTokens: this.#sourceTokens, outputTokens: best.ids.length + 1 },
      logProb: best.logProb,
      ...(this.#options.numReturnSequences === undefined ? {} : { alternatives: this.#alternatives(ranked, this.#options.numReturnSequences) }),
    };
    events.push({ type: 'done', index, translation });
    return events;
  }

  /** The `count` best hypotheses whose texts differ (two id sequences can spell one text). */
  #alternatives(ranked: readonly Hypothesis[], count: number): Alternative[] {
    const alternatives: Alternative[] = [];
    for (const hypothesis of ranked) {
      if (alternatives.length === count) break;
      const text = this.#options.decode([...hypothesis.ids]);
      if (!alternatives.some((a) => a.text === text)) alternatives.push({ ids: hypothesis.ids, text, score: hypothesis.score, logProb: hypothesis.logProb });
    }
    return alternatives;
  }
}
