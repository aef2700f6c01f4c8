// What generation produces: a stream of events and, per source row, one Translation.

export interface Usage {
  /** Source tokens fed to the encoder (EOS included). */
  readonly inputTokens: number;
  /** Tokens generated (EOS included): the decoder steps this row cost. */
  readonly outputTokens: number;
}

/** A finished beam-search hypothesis. */
export interface Alternative {
  /** Generated ids without EOS. */
  readonly ids: readonly number[];
  readonly text: string;
  /** What beam search ranks by: sum of ln p over the tokens (EOS included) / length^lengthPenalty. */
  readonly score: number;
  /** ln p(hypothesis | source): the sum over its tokens, EOS included. */
  readonly logProb: number;
}

export interface Translation {
  /** Generated ids without EOS. */
  readonly ids: readonly number[];
  /** The concatenation of the row's deltas: the decoding of `ids`. */
  readonly text: string;
  /** 'length': the row hit its length limit and EOS was forced there. */
  readonly finishReason: 'eos' | 'length';
  readonly usage: Usage;
  /** ln p(translation | source): the sum of its tokens' logProb, EOS included. */
  readonly logProb: number;
  /**
   * Beam search with numReturnSequences N: the N best finished hypotheses with distinct texts, best
   * first (the first is this translation); fewer when fewer distinct ones ended.
   */
  readonly alternatives?: readonly Alternative[];
}

/**
 * Events of one generation, rows interleaved. Per row: one `token` event per generated token (the
 * last one carries EOS and the held-back text), then one `done`. Deltas may be ''. `logProb` is the
 * natural log of the probability the model gave the token (log-softmax of the row's scores, float64).
 */
export type GenerationEvent =
  | { readonly type: 'token'; readonly index: number; readonly tokenId: number; readonly delta: string; readonly logProb: number }
  | { readonly type: 'done'; readonly index: number; readonly translation: Translation };

export interface GenerationResult {
  /** One per source row, in input order. */
  readonly translations: readonly Translation[];
  /** Summed over rows. */
  readonly usage: Usage;
}
