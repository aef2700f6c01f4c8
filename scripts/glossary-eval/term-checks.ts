// Whether a forced target term made it into a translation, and whether its form is the one the
// reference uses: a term "appears" when it occurs in the output by the glossary's own matching rule
// (ignoring case, at word boundaries); it is "inflected wrongly" when it appears but the reference
// holds another form of its last word (the same stem, a different ending of at most 3 letters: "orco"
// for "orcos", "enemigos" for "enemigo"; its other words as they are) and not the term itself. The
// stem rule is coarse: "muerte" passes for a form of "muertos".
import { TermMatcher } from '@attend/protocol';

export type ReferenceForm = 'same' | 'inflected' | 'other';

export function appears(output: string, term: string): boolean {
  return new TermMatcher([term]).find(output).length > 0;
}

/** How the reference renders the term: as it is, as another form of it, or otherwise. */
export function referenceForm(reference: string, term: string): ReferenceForm {
  if (appears(reference, term)) return 'same';
  const termWords = term.toLowerCase().split(/\s+/u);
  const last = termWords.pop()!;
  const stem = last.length > 4 ? last.slice(0, -2) : last;
  const words = reference.toLowerCase().split(/[^\p{L}\p{M}]+/u);
  const inflected = words.some((w) => w !== last && w.startsWith(stem) && w.length - stem.length <= 3);
  return inflected && termWords.every((t) => words.includes(t)) ? 'inflected' : 'other';
}
