// Request limits, shared by the server (which enforces them) and clients (which can check before sending).
// Each bound keeps one request well inside a Worker isolate's CPU and 128 MB memory budget.

export const LIMITS = {
  maxBodyBytes: 256 * 1024, // a full batch of maximal texts is about 4 * 32 * 2,000 bytes of UTF-8
  maxCharsPerText: 2_000, // UTF-16 code units; longer documents are split by the client
  maxTextsPerBatch: 32, // texts in one `text: string[]` request
  maxOutputTokens: 512, // per sentence; also the ceiling of `options.max_tokens`
  defaultOutputTokens: 256, // per sentence when `options.max_tokens` is not given
  maxBeamSize: 8, // beam search cost grows linearly with the beam; also the most `alternatives`
  alternativesBeamSize: 4, // the beam of `options.alternatives` when `beam_size` is left out (at least the N asked)
  maxGlossaryEntries: 100, // per request (`options.glossary`)
  maxStoredGlossaryEntries: 5_000, // per named glossary; checked in O(entries x tokens^2) when it loads
  maxGlossaryTermChars: 100, // UTF-16 code units per source or target term
  maxGlossaryTermTokens: 16, // words and punctuation marks per source term (glossary-terms.ts)
  // The cost budget of one request, checked before decoding: each sentence may decode up to
  // min(max_tokens, 2 x its source tokens + 10) tokens, summed over the request's sentences, and
  // times beam_size. Measured (README "Limits"): ~2.2 ms per greedy token, ~1.7 ms per beam-token in
  // a local isolate, so the worst request stays near 9 s (greedy) and 14 s (beams) of the 30 s limit.
  maxOutputTokensPerRequest: 4_096,
  maxBeamTokensPerRequest: 8_192,
  decodeMsPerRequest: 20_000, // decoding stops here; unfinished texts end with finish_reason "length"
} as const;
