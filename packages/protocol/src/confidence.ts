// What the confidence fields mean, computed the same way by the server (SSE deltas, JSON words) and by
// the calibration that chose CONFIDENCE.doubtfulBelow (scripts/calibrate-confidence.ts).
//
// A `delta` carries the tokens whose text it completes: the streamer holds a word back until the next
// token starts a new one, so the token that released a delta usually belongs to the next delta. Token i
// is in the first delta whose end reaches the end of decode(ids[0..i]). EOS is in no delta; it counts in
// the `done` event's mean.
// A word is a run of non-whitespace in the translation. Its confidence is the probability the model gave
// it, exp(summed log-probability of the tokens of the deltas it lies in): a delta holds whole words,
// nearly always one (none of the 14,435 deltas of the first en-es-tiny's greedy dev.tsv output held two),
// and the words of a delta that holds several share its probability. Measured on en-es-tiny's (6 + 2
// layers) greedy dev.tsv output, the word's probability tells words absent from the reference better
// (ROC AUC 0.772) than the geometric mean of its token probabilities (0.739) or the lowest of them (0.759).
import type { WordConfidence } from './types.ts';

export const CONFIDENCE = {
  // The threshold of highest F0.5 (precision counted twice) on en-es-tiny's greedy dev.tsv output, for
  // "the reference lacks the word": 71.3% of the words below it are absent from the reference, and they
  // are 55.5% of the absent ones (scripts/calibrate-confidence.ts).
  doubtfulBelow: 0.3,
} as const;

/** The log-probability and token count of one delta. */
export interface DeltaScore {
  readonly logprob: number;
  readonly tokens: number;
}

/** Assigns each generated token's log-probability to the delta that completes its text. */
export class DeltaLogprobs {
  readonly #decode: (ids: number[]) => string;
  readonly #ids: number[] = [];
  readonly #logprobs: number[] = [];
  #next = 0; // first token not yet in a delta
  #emitted = 0; // length of the text emitted so far
  #sum = 0;
  #count = 0;

  /** `decode` is the streamer's: generated ids (no EOS) to text. */
  constructor(decode: (ids: number[]) => string) {
    this.#decode = decode;
  }

  /** One generated token and the delta the streamer gave for it; the delta's score ('' gets one too, of no tokens). */
  token(id: number, logprob: number, delta: string): DeltaScore {
    this.#ids.push(id);
    this.#logprobs.push(logprob);
    this.#add(logprob);
    this.#emitted += delta.length;
    if (delta === '') return { logprob: 0, tokens: 0 };
    let end = this.#next;
    while (end < this.#ids.length && this.#decode(this.#ids.slice(0, end + 1)).length <= this.#emitted) end++;
    return this.#take(end);
  }

  /** EOS and the streamer's last delta: every token left is in it. */
  finish(eosLogprob: number): DeltaScore {
    this.#add(eosLogprob);
    return this.#take(this.#ids.length);
  }

  /** Mean log-probability per generated token, EOS included (0 before any token). */
  get meanLogprob(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  #add(logprob: number): void {
    this.#sum += logprob;
    this.#count++;
  }

  #take(end: number): DeltaScore {
    let logprob = 0;
    for (let i = this.#next; i < end; i++) logprob += this.#logprobs[i]!;
    const tokens = end - this.#next;
    this.#next = end;
    return { logprob, tokens };
  }
}

/** The words of a translation, from its deltas in order, each with the probability of the deltas it lies in. */
export function wordConfidences(deltas: readonly (DeltaScore & { readonly text: string })[]): WordConfidence[] {
  const spans: { start: number; end: number; logprob: number }[] = [];
  let text = '';
  for (const delta of deltas) {
    spans.push({ start: text.length, end: text.length + delta.text.length, logprob: delta.logprob });
    text += delta.text;
  }
  return Array.from(text.matchAll(/\S+/gu), (match) => {
    const [start, end] = [match.index, match.index + match[0].length];
    const logprob = spans.filter((s) => s.start < end && start < s.end).reduce((sum, s) => sum + s.logprob, 0);
    return { text: match[0], start, confidence: Math.exp(logprob) };
  });
}
