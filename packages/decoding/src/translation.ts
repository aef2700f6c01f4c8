// What generation produces: a stream of events and, per source row, one Translation.

export interface Usage {
  /** Source tokens fed to the encoder (EOS included). */
  readonly inputTokens: number;
  /** Tokens generated (EOS included): the decoder steps this row cost. */
  readonly outputTokens: number;
}

export interface Translation {
  /** Generated ids without EOS. */
  readonly ids: readonly number[];
  /** The concatenation of the row's deltas: the decoding of `ids`. */
  readonly text: string;
  /** 'length': the row hit its length limit and EOS was forced there. */
  readonly finishReason: 'eos' | 'length';
  readonly usage: Usage;
}

/**
 * Events of one generation, rows interleaved. Per row: one `token` event per generated token (the
 * last one carries EOS and the held-back text), then one `done`. Deltas may be ''.
 */
export type GenerationEvent =
  | { readonly type: 'token'; readonly index: number; readonly tokenId: number; readonly delta: string }
  | { readonly type: 'done'; readonly index: number; readonly translation: Translation };

export interface GenerationResult {
  /** One per source row, in input order. */
  readonly translations: readonly Translation[];
  /** Summed over rows. */
  readonly usage: Usage;
}
