// A validated glossary, ready to match: where its source terms occur in a sentence (protocol's
// TermMatcher: ignoring case, at word boundaries, never overlapping) and the target-term token
// sequences constrained decoding must then put in that sentence's translation.
import type { GlossaryEntry } from '@attend/protocol';
import { TermMatcher } from '@attend/protocol';

export class Glossary {
  readonly entries: readonly GlossaryEntry[];
  readonly #matcher: TermMatcher;

  /** `entries` must have passed protocol's GlossarySchema (or StoredGlossarySchema): no overlaps. */
  constructor(entries: readonly GlossaryEntry[]) {
    this.entries = entries;
    this.#matcher = new TermMatcher(entries.map((e) => e.source));
  }

  /**
   * One token sequence per occurrence of a source term in `sentence`, in reading order: its target
   * term as `encodeTerm` tokenizes it (ids without EOS; a term begins a word, so with the tokenizer's
   * word-start marker). A term that occurs twice is forced twice.
   */
  constraints(sentence: string, encodeTerm: (text: string) => number[]): number[][] {
    return this.#matcher.find(sentence).map((match) => encodeTerm(this.entries[match.entry]!.target));
  }
}
