// Per-word confidence from a stream: each `delta` holds whole words and the log-probability of the
// tokens that wrote them, so the probability of a delta is that of its word (nearly always one word;
// the words of a delta that holds several share it), as the server's `words` report it.
import { CONFIDENCE, type DeltaEvent } from './types.ts';

/** The probability the model gave a delta's words, exp(logprob); undefined from a server that does not report it. */
export function deltaConfidence(delta: DeltaEvent): number | undefined {
  return delta.logprob === undefined ? undefined : Math.exp(delta.logprob);
}

/** Whether a word of this confidence is doubtful: below `CONFIDENCE.doubtfulBelow`. Unknown is not doubtful. */
export function isDoubtful(confidence: number | undefined): boolean {
  return confidence !== undefined && confidence < CONFIDENCE.doubtfulBelow;
}
