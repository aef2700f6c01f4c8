// Which words of a delta the page underlines: those of a delta whose probability is below the SDK's
// CONFIDENCE.doubtfulBelow (a delta holds whole words, nearly always one). Whitespace is never marked.
import { type DeltaEvent, deltaConfidence, isDoubtful } from '@attend/sdk';

export interface Segment {
  readonly text: string;
  /** Set for a doubtful word: the probability the model gave it. */
  readonly doubtful?: number | undefined;
}

/** The delta's text in order: plain runs, and doubtful words on their own. */
export function segments(delta: DeltaEvent): Segment[] {
  const confidence = deltaConfidence(delta);
  if (!isDoubtful(confidence)) return delta.text === '' ? [] : [{ text: delta.text }];
  return delta.text
    .split(/(\s+)/u)
    .filter((piece) => piece !== '')
    .map((piece) => (/^\s/u.test(piece) ? { text: piece } : { text: piece, doubtful: confidence }));
}

/** "unsure (12%)": the title of an underlined word. */
export function doubtTitle(confidence: number): string {
  return `The model is unsure of this word (${Math.round(confidence * 100)}% likely)`;
}
