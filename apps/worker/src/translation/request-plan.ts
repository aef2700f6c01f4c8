// A request's texts, tokenized and priced before any decoding: each text becomes its parts (sentences
// to translate, as source ids that fit the model, and whitespace to copy), and the request's worst
// case is known up front. A sentence where a glossary term occurs keeps the target terms its
// translation must contain (constrained decoding, packages/decoding's constraints/). Over the budget of LIMITS, the request is refused with 413 and nothing is
// decoded; the CPU time these limits allow is measured in README "Limits".
import { GENERATION_DEFAULTS } from '@attend/decoding';
import type { Glossary } from '../glossaries/glossary.ts';
import { LIMITS } from '@attend/protocol';
import { ApiError } from '../errors.ts';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import { type Piece, splitInHalf, splitSentences } from './sentences.ts';

export type Part =
  | { readonly translate: false; readonly text: string }
  /** `constraints`: target-term ids (without EOS) the sentence's translation must contain; [] for none. */
  | { readonly translate: true; readonly ids: number[]; readonly constraints: readonly (readonly number[])[] };

export interface RequestPlan {
  /** Per text, its parts in reading order. */
  readonly texts: readonly (readonly Part[])[];
  /** The most tokens decoding may generate, summed over sentences (EOS included). */
  readonly worstOutputTokens: number;
}

/** Tokenizes `texts` and checks the request's worst case against LIMITS; throws 413 when over. */
export function planRequest(translator: Translator, texts: readonly string[], options: GenerateOptions, glossary?: Glossary): RequestPlan {
  // Lone surrogates cannot be tokenized as UTF-8; they become U+FFFD as TextEncoder would make them.
  const parts = texts.map((text) => splitSentences(text.toWellFormed(), translator.manifest.source).flatMap((p) => [...fitToModel(translator, p, glossary)]));
  let worstOutputTokens = 0;
  let worstBeamTokens = 0;
  for (const part of parts.flat()) {
    if (!part.translate) continue;
    const tokens = worstTokens(translator, part.ids.length, options.maxTokens);
    worstOutputTokens += tokens;
    worstBeamTokens += options.numBeams * tokens;
    const forced = part.constraints.reduce((sum, phrase) => sum + phrase.length, 0);
    if (forced === 0) continue;
    // Constrained decoding runs beside the sentence's unconstrained search (its fallback): width rows
    // of up to tokens + C each, the width a bank per forced token (packages/decoding's constrained-search.ts).
    const width = Math.max(options.numBeams, Math.min(LIMITS.maxBeamSize, forced + 1));
    worstOutputTokens += forced;
    worstBeamTokens += width * (tokens + forced);
  }
  checkBudget(worstOutputTokens, worstBeamTokens, options.numBeams);
  return { texts: parts, worstOutputTokens };
}

/** The length limit decoding applies to one sentence (packages/decoding's defaults). */
function worstTokens(translator: Translator, sourceTokens: number, maxTokens: number): number {
  const { maxLengthRatio, maxLengthOffset } = GENERATION_DEFAULTS;
  return Math.min(maxTokens, translator.config.maxPositions, Math.floor(maxLengthRatio * sourceTokens + maxLengthOffset));
}

function checkBudget(tokens: number, beamTokens: number, beams: number): void {
  const fix = 'send fewer or shorter texts per request, or lower options.max_tokens';
  if (tokens > LIMITS.maxOutputTokensPerRequest) {
    throw new ApiError('payload_too_large', `this request may decode up to ${tokens} tokens; the limit is ${LIMITS.maxOutputTokensPerRequest} per request: ${fix}`);
  }
  if (beamTokens > LIMITS.maxBeamTokensPerRequest) {
    const cost = beamTokens === beams * tokens ? `beam_size ${beams} x up to ${tokens} tokens` : `beam_size ${beams}, widened for the sentences holding glossary terms, over up to ${tokens} tokens,`;
    const glossary = beamTokens === beams * tokens ? '' : ' use fewer glossary terms,';
    throw new ApiError(
      'payload_too_large',
      `${cost} is ${beamTokens}; the limit is ${LIMITS.maxBeamTokensPerRequest} per request: lower beam_size,${glossary} or ${fix}`,
    );
  }
}

/** Tokenizes a sentence, halving it at whitespace until every part fits the model's positions; each part keeps its glossary terms. */
function* fitToModel(translator: Translator, piece: Piece, glossary: Glossary | undefined): Generator<Part> {
  if (!piece.translate) {
    yield { translate: false, text: piece.text };
    return;
  }
  const ids = translator.encode(piece.text);
  if (ids.length <= translator.maxSourceTokens || Array.from(piece.text).length < 2) {
    const terms = glossary?.constraints(piece.text, (t) => translator.encode(t).slice(0, -1)) ?? [];
    yield { translate: true, ids: ids.slice(0, translator.maxSourceTokens), constraints: terms.filter((phrase) => phrase.length > 0) };
    return;
  }
  for (const half of splitInHalf(piece.text)) yield* fitToModel(translator, half, glossary);
}
