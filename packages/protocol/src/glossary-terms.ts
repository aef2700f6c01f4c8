// When a glossary's source term "occurs" in a text, the one rule shared by validation (which rejects
// overlapping terms) and the server (which forces the target term of each occurrence):
//   1) text and term are NFC-normalized and lower-cased: matching ignores case ("File menu" = "file Menu"),
//   2) both are split into tokens: runs of letters, marks and digits, or single other non-space
//      characters, each remembering whether whitespace preceded it,
//   3) a term occurs where its tokens appear in a row with the same spacing (any run of whitespace
//      counts as one): "York" does not occur in "Yorkshire", "cat" does in "the cat's bowl", "e-mail"
//      does not in "e - mail".
// Occurrences are found left to right; validation guarantees that two different terms never overlap.

const TOKEN = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;

interface TermToken {
  readonly text: string;
  readonly spaced: boolean; // whitespace before it
  readonly start: number; // UTF-16 offsets in the text as given
  readonly end: number;
}

/** The tokens of a text or term (rule 2), with their offsets. */
export function termTokens(text: string): TermToken[] {
  // NFC may change lengths; offsets must index the text as given, so each character is normalized alone.
  const tokens: TermToken[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    tokens.push({ text: match[0].normalize('NFC').toLowerCase(), spaced: start > 0 && /\s/u.test(text[start - 1]!), start, end: start + match[0].length });
  }
  return tokens;
}

/** The key of tokens[from..to): equal keys match (rule 3). */
function keyOf(tokens: readonly TermToken[], from = 0, to = tokens.length): string {
  let key = '';
  for (let i = from; i < to; i++) key += (i > from && tokens[i]!.spaced ? ' ' : '\u0000') + tokens[i]!.text;
  return key;
}

export interface TermOverlap {
  /** Indices of the two entries, in order. */
  readonly first: number;
  readonly second: number;
  readonly reason: 'duplicate' | 'contains' | 'chains';
}

/**
 * Two terms that could claim the same words of a text: equal, one inside the other ("York" in "New
 * York"), or the end of one the start of the other ("New York" and "York City" in "New York City").
 */
export function findOverlap(terms: readonly string[]): TermOverlap | undefined {
  const tokens = terms.map(termTokens);
  const whole = new Map<string, number>();
  for (const [i, t] of tokens.entries()) {
    const key = keyOf(t);
    const seen = whole.get(key);
    if (seen !== undefined) return { first: seen, second: i, reason: 'duplicate' };
    whole.set(key, i);
  }
  const prefixes = new Map<string, number>();
  for (const [i, t] of tokens.entries()) spans(t, 0, (key, to) => to < t.length && prefixes.set(key, i));
  for (const [i, t] of tokens.entries()) {
    for (let from = 0; from < t.length; from++) {
      let found: TermOverlap | undefined;
      spans(t, from, (key, to) => {
        const inner = to - from < t.length ? whole.get(key) : undefined;
        const chained = from > 0 && to === t.length ? prefixes.get(key) : undefined;
        if (inner !== undefined) found ??= ordered(i, inner, 'contains');
        else if (chained !== undefined && chained !== i) found ??= ordered(i, chained, 'chains');
      });
      if (found) return found;
    }
  }
  return undefined;
}

/** Calls `visit` with the key of tokens[from..to) for every `to` after `from`, built in one pass. */
function spans(tokens: readonly TermToken[], from: number, visit: (key: string, to: number) => unknown): void {
  let key = '';
  for (let to = from + 1; to <= tokens.length; to++) {
    const token = tokens[to - 1]!;
    key += (to - 1 > from && token.spaced ? ' ' : '\u0000') + token.text;
    visit(key, to);
  }
}

function ordered(a: number, b: number, reason: TermOverlap['reason']): TermOverlap {
  return { first: Math.min(a, b), second: Math.max(a, b), reason };
}

export interface TermMatch {
  /** Index of the entry in the glossary. */
  readonly entry: number;
  /** UTF-16 offsets of the occurrence in the text. */
  readonly start: number;
  readonly end: number;
}

/** Finds the occurrences of a glossary's source terms in texts; build it once per glossary. */
export class TermMatcher {
  readonly #entries = new Map<string, number>();
  readonly #longest: number;

  constructor(sourceTerms: readonly string[]) {
    let longest = 0;
    for (const [i, term] of sourceTerms.entries()) {
      const tokens = termTokens(term);
      if (tokens.length === 0) continue;
      this.#entries.set(keyOf(tokens), i);
      longest = Math.max(longest, tokens.length);
    }
    this.#longest = longest;
  }

  /** Occurrences left to right, none overlapping (the longest term wins where a term repeats itself). */
  find(text: string): TermMatch[] {
    const tokens = termTokens(text);
    const matches: TermMatch[] = [];
    for (let i = 0; i < tokens.length; i++) {
      for (let n = Math.min(this.#longest, tokens.length - i); n > 0; n--) {
        const entry = this.#entries.get(keyOf(tokens, i, i + n));
        if (entry === undefined) continue;
        matches.push({ entry, start: tokens[i]!.start, end: tokens[i + n - 1]!.end });
        i += n - 1;
        break;
      }
    }
    return matches;
  }
}
