// The fields a translation answer adds to each text's `done` (SSE) or translation (JSON), from the
// text events: mean_logprob always, `words` with options.confidence (protocol's wordConfidences of
// that text's deltas), `alternatives` with options.alternatives (at most that many, best first).
import { type Alternative, type WordConfidence, wordConfidences } from '@attend/protocol';
import type { TextEvent } from '../translation/translate-texts.ts';

export interface AnswerOptions {
  readonly confidence: boolean;
  readonly alternatives: number | undefined;
}

export interface AnswerFields {
  mean_logprob: number;
  words?: WordConfidence[];
  alternatives?: Alternative[];
}

export class TextAnswers {
  readonly #options: AnswerOptions;
  readonly #deltas = new Map<number, Extract<TextEvent, { type: 'delta' }>[]>();

  constructor(options: AnswerOptions) {
    this.#options = options;
  }

  /** Reads every event; answers a `done`'s fields (undefined for a delta). */
  read(event: TextEvent): AnswerFields | undefined {
    if (event.type === 'delta') {
      if (this.#options.confidence) this.#deltas.set(event.index, [...(this.#deltas.get(event.index) ?? []), event]);
      return undefined;
    }
    const fields: AnswerFields = { mean_logprob: Math.min(0, event.meanLogprob) };
    if (this.#options.confidence) fields.words = wordConfidences(this.#deltas.get(event.index) ?? []);
    this.#deltas.delete(event.index);
    const count = this.#options.alternatives;
    if (count !== undefined) {
      fields.alternatives = event.alternatives.slice(0, count).map((a) => ({ text: a.text, score: a.tokens === 0 ? 0 : a.logProb / a.tokens }));
    }
    return fields;
  }
}
