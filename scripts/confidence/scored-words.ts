// The words of a greedy translation as the API reports them (deltas of packages/decoding's
// TextStreamer, scored by protocol's DeltaLogprobs and wordConfidences), with two other candidate
// statistics over the same tokens, for comparison.
import { TextStreamer } from '@attend/decoding';
import { DeltaLogprobs, wordConfidences } from '@attend/protocol';
import type { ScoredOutput } from './scored-outputs.ts';

export interface ScoredWord {
  readonly text: string;
  /** What the API reports: the word's probability, exp(summed token log-probability). */
  readonly probability: number;
  /** exp(mean token log-probability). */
  readonly geometricMean: number;
  /** exp(lowest token log-probability). */
  readonly min: number;
}

interface Delta {
  readonly text: string;
  readonly logprob: number;
  readonly tokens: number;
  /** Offset of the delta in the translation, and of its first token in the output. */
  readonly start: number;
  readonly firstToken: number;
}

export function scoredWords(output: ScoredOutput, decode: (ids: number[]) => string): ScoredWord[] {
  const deltas = scoredDeltas(output, decode);
  return wordConfidences(deltas).map((word) => {
    const end = word.start + word.text.length;
    const inWord = deltas.filter((d) => d.start < end && word.start < d.start + d.text.length);
    const logprobs = inWord.flatMap((d) => output.logprobs.slice(d.firstToken, d.firstToken + d.tokens));
    const mean = logprobs.length === 0 ? 0 : logprobs.reduce((a, b) => a + b, 0) / logprobs.length;
    return { text: word.text, probability: word.confidence, geometricMean: Math.exp(mean), min: Math.exp(Math.min(0, ...logprobs)) };
  });
}

/** The deltas the worker would send for this output (empty ones dropped), with their token ranges. */
function scoredDeltas(output: ScoredOutput, decode: (ids: number[]) => string): Delta[] {
  const streamer = new TextStreamer(decode);
  const scores = new DeltaLogprobs(decode);
  const deltas: Delta[] = [];
  let start = 0;
  let firstToken = 0;
  const add = (text: string, score: { logprob: number; tokens: number }) => {
    if (text !== '') deltas.push({ text, ...score, start, firstToken });
    start += text.length;
    firstToken += score.tokens;
  };
  for (const [i, id] of output.ids.entries()) {
    const text = streamer.push(id);
    add(text, scores.token(id, output.logprobs[i]!, text));
  }
  const text = streamer.finish();
  add(text, scores.finish(output.logprobs.at(-1)!));
  return deltas;
}

/** A word's form for comparing with the reference: lower case, without surrounding punctuation. */
export function bareWord(word: string): string {
  return word.toLowerCase().replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
}

/** The bare words of a reference translation. */
export function referenceWords(reference: string): Set<string> {
  return new Set(reference.split(/\s+/u).map(bareWord).filter((w) => w !== ''));
}
