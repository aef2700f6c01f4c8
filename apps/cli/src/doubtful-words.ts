// `--confidence`: the words of a delta the model doubts (their probability below the SDK's
// CONFIDENCE.doubtfulBelow) are underlined on a terminal, or wrapped in [[ ]] where escapes would be
// noise (a pipe, a file, NO_COLOR).
import { type DeltaEvent, deltaConfidence, isDoubtful } from '@attend/sdk';

export type MarkStyle = 'underline' | 'brackets';

/** Underline where stdout is a terminal and NO_COLOR is unset (https://no-color.org). */
export function markStyle(stdout: { readonly isTTY?: boolean | undefined }, env: Readonly<Record<string, string | undefined>>): MarkStyle {
  return stdout.isTTY && !env.NO_COLOR ? 'underline' : 'brackets';
}

/** The delta's text, its words marked when the model doubts them; whitespace is never marked. */
export function markDoubtful(delta: DeltaEvent, style: MarkStyle): string {
  if (!isDoubtful(deltaConfidence(delta))) return delta.text;
  return delta.text.replace(/\S+/gu, (word) => (style === 'underline' ? `\x1b[4m${word}\x1b[24m` : `[[${word}]]`));
}
