// Generation options, their defaults and the two rules every search applies to the scores:
// banned sequences (bad_words_ids) and EOS forced at the length limit.
import { SPECIAL_TOKENS } from '@attend/model-spec';
import { type SelectCandidates, selectTopCandidates } from './beam-candidates.ts';

export interface SpecialTokenIds {
  readonly pad: number;
  readonly eos: number;
  readonly decoderStart: number;
}

export interface GenerationOptions {
  /** The tokenizer's decode; turns generated ids (without EOS) into text. */
  readonly decode: (ids: number[]) => string;
  /** 1 = greedy (streams token by token); > 1 = beam search of that width. */
  readonly numBeams?: number;
  /** Beam search ranks finished hypotheses by sum(log p) / length^lengthPenalty (length counts EOS). */
  readonly lengthPenalty?: number;
  /** Beam search: how many of the best distinct hypotheses each Translation lists in `alternatives` (<= numBeams). */
  readonly numReturnSequences?: number;
  /** Beam search: how each source picks its next beams from its beams' scores (default selectTopCandidates). */
  readonly selectCandidates?: SelectCandidates;
  /**
   * Per source row, target token sequences its translation must contain (glossary terms), searched
   * with Dynamic Beam Allocation (constraints/); a row with none, or past the end, is searched as usual.
   */
  readonly constraints?: readonly (readonly (readonly number[])[] | undefined)[];
  /** The widest beam a constrained row may get (it widens to one bank per forced token). */
  readonly maxConstrainedBeams?: number;
  /** Hard cap on generated tokens per row, EOS included. */
  readonly maxTokens?: number;
  /** Per-row cap relative to the source: floor(maxLengthRatio * sourceTokens + maxLengthOffset). */
  readonly maxLengthRatio?: number;
  readonly maxLengthOffset?: number;
  /** Token sequences never generated, as in config.json's bad_words_ids (default [[pad]]). */
  readonly badWordsIds?: readonly (readonly number[])[];
  /** A token n-gram of this size never occurs twice in a row's output (Hugging Face's no_repeat_ngram_size; 0: off). */
  readonly noRepeatNgramSize?: number;
  readonly specialTokens?: SpecialTokenIds;
  /** Aborting stops generation before the next model call; the generator throws `signal.reason`. */
  readonly signal?: AbortSignal;
}

export interface ResolvedOptions {
  readonly decode: (ids: number[]) => string;
  readonly numBeams: number;
  readonly lengthPenalty: number;
  readonly numReturnSequences: number | undefined;
  readonly selectCandidates: SelectCandidates;
  readonly constraints: readonly (readonly (readonly number[])[] | undefined)[];
  readonly maxConstrainedBeams: number;
  readonly maxTokens: number;
  readonly maxLengthRatio: number;
  readonly maxLengthOffset: number;
  readonly badWordsIds: readonly (readonly number[])[];
  readonly noRepeatNgramSize: number;
  readonly specialTokens: SpecialTokenIds;
  readonly signal: AbortSignal | undefined;
}

/** What each option is when left out. */
export const GENERATION_DEFAULTS = {
  numBeams: 1, // greedy streams; beam search only returns whole sentences
  lengthPenalty: 1, // average log-probability per token: neither short nor long outputs are favoured
  maxConstrainedBeams: 8, // the worker's LIMITS.maxBeamSize: cost grows linearly with the beam
  maxTokens: 256, // well inside the 512 sinusoid positions of every preset
  maxLengthRatio: 2, // a sentence rarely needs twice its source's tokens; stops degenerate loops early
  maxLengthOffset: 10, // room for short sources ("Hi." -> "¡Hola!")
  noRepeatNgramSize: 0,
} as const;

export function resolveOptions(options: GenerationOptions): ResolvedOptions {
  const special = options.specialTokens ?? {
    pad: SPECIAL_TOKENS.pad.id,
    eos: SPECIAL_TOKENS.eos.id,
    decoderStart: SPECIAL_TOKENS.pad.id, // Marian starts decoding from <pad>
  };
  const resolved: ResolvedOptions = {
    decode: options.decode,
    numBeams: options.numBeams ?? GENERATION_DEFAULTS.numBeams,
    lengthPenalty: options.lengthPenalty ?? GENERATION_DEFAULTS.lengthPenalty,
    numReturnSequences: options.numReturnSequences,
    selectCandidates: options.selectCandidates ?? selectTopCandidates,
    constraints: options.constraints ?? [],
    maxConstrainedBeams: options.maxConstrainedBeams ?? GENERATION_DEFAULTS.maxConstrainedBeams,
    maxTokens: options.maxTokens ?? GENERATION_DEFAULTS.maxTokens,
    maxLengthRatio: options.maxLengthRatio ?? GENERATION_DEFAULTS.maxLengthRatio,
    maxLengthOffset: options.maxLengthOffset ?? GENERATION_DEFAULTS.maxLengthOffset,
    badWordsIds: options.badWordsIds ?? [[special.pad]],
    noRepeatNgramSize: options.noRepeatNgramSize ?? GENERATION_DEFAULTS.noRepeatNgramSize,
    specialTokens: special,
    signal: options.signal,
  };
  if (!Number.isInteger(resolved.numBeams) || resolved.numBeams < 1) {
    throw new RangeError(`numBeams must be a positive integer, got ${resolved.numBeams}`);
  }
  const returned = resolved.numReturnSequences;
  if (returned !== undefined && !(Number.isInteger(returned) && returned >= 1 && returned <= resolved.numBeams)) {
    throw new RangeError(`numReturnSequences must be an integer from 1 to numBeams (${resolved.numBeams}), got ${returned}`);
  }
  if (!Number.isInteger(resolved.maxConstrainedBeams) || resolved.maxConstrainedBeams < 1) {
    throw new RangeError(`maxConstrainedBeams must be a positive integer, got ${resolved.maxConstrainedBeams}`);
  }
  if (resolved.constraints.some((phrases) => phrases?.some((phrase) => phrase.length === 0))) {
    throw new RangeError('constraints must not contain an empty phrase');
  }
  if (!Number.isInteger(resolved.maxTokens) || resolved.maxTokens < 1) {
    throw new RangeError(`maxTokens must be a positive integer, got ${resolved.maxTokens}`);
  }
  for (const key of ['lengthPenalty', 'maxLengthRatio', 'maxLengthOffset'] as const) {
    if (!Number.isFinite(resolved[key])) throw new RangeError(`${key} must be a finite number, got ${resolved[key]}`);
  }
  if (!Number.isInteger(resolved.noRepeatNgramSize) || resolved.noRepeatNgramSize < 0) {
    throw new RangeError(`noRepeatNgramSize must be a non-negative integer, got ${resolved.noRepeatNgramSize}`);
  }
  if (resolved.badWordsIds.some((sequence) => sequence.length === 0)) {
    throw new RangeError('badWordsIds must not contain an empty sequence');
  }
  return resolved;
}

/** Most tokens (EOS included) a row may generate; at least 1, so EOS always fits. */
export function lengthLimit(options: ResolvedOptions, sourceTokens: number): number {
  const relative = Math.floor(options.maxLengthRatio * sourceTokens + options.maxLengthOffset);
  return Math.max(1, Math.min(options.maxTokens, relative));
}

/** Tokens that would complete a banned sequence, or repeat an n-gram of `generated`, after `generated`. */
export function bannedTokens(options: ResolvedOptions, generated: readonly number[]): number[] {
  const banned = repeatingTokens(options.noRepeatNgramSize, generated);
  for (const sequence of options.badWordsIds) {
    const prefix = sequence.length - 1;
    if (prefix > generated.length) continue;
    let matches = true;
    for (let i = 0; i < prefix && matches; i++) matches = generated[generated.length - prefix + i] === sequence[i];
    if (matches) banned.push(sequence[prefix]!);
  }
  return banned;
}

/** Tokens that would make the last n-gram of `generated` one it already holds (none when n is 0). */
function repeatingTokens(n: number, generated: readonly number[]): number[] {
  const prefix = n - 1;
  const end = generated.length - prefix; // where the last n - 1 tokens start
  if (n === 0 || end < 1) return [];
  const repeating: number[] = [];
  for (let start = 0; start < end; start++) {
    let matches = true;
    for (let i = 0; i < prefix && matches; i++) matches = generated[start + i] === generated[end + i];
    if (matches) repeating.push(generated[start + prefix]!);
  }
  return repeating;
}
