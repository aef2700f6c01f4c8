// A request's planned texts in, text events out: sentences are translated in order and the whitespace
// between them is copied, so deltas stream in reading order and their concatenation is the text's
// final translation. A request decodes a few sentences ahead of the one it streams (LOOKAHEAD_ROWS),
// beside every other request's, in the model's shared decoder steps. Decoding is bounded per request
// (LIMITS.decodeMsPerRequest of its share of those steps, cpu-account.ts): past it, the text being
// decoded and the ones after it end with what they have and finish_reason "length", before the
// platform's CPU limit would kill the request. Knows nothing of HTTP.
import type { GenerationEvent, Translation } from '@attend/decoding';
import { DeltaLogprobs, type DeltaScore, LIMITS, type FinishReason, type Usage } from '@attend/protocol';
import { CpuAccount } from '../inference/cpu-account.ts';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import type { Part, RequestPlan } from './request-plan.ts';

/** Rows (a beam is a row) a request keeps decoding: the sentence it streams and those after it. */
export const LOOKAHEAD_ROWS = 8;

export type TextEvent =
  | {
      readonly type: 'delta';
      readonly index: number;
      readonly text: string;
      /** ln p of the tokens that wrote it, summed (protocol's confidence.ts); 0 and 0 for copied text. */
      readonly logprob: number;
      readonly tokens: number;
    }
  | {
      readonly type: 'done';
      readonly index: number;
      readonly text: string;
      readonly usage: Usage;
      readonly finishReason: FinishReason;
      /** ln p of the text's translation: the sum over its generated tokens (0 when it had none to translate). */
      readonly logProb: number;
      /** logProb per output token, EOS included (0 without any). */
      readonly meanLogprob: number;
      /** Each translated sentence, in order (a sentence cut by the decode budget has none). */
      readonly sentences: readonly Translation[];
      /**
       * Whole-text alternatives, best first, distinct (the first is `text`): the k-th joins each
       * sentence's k-th best hypothesis, its best when it has fewer, with the copied text in between.
       */
      readonly alternatives: readonly TextAlternative[];
    };

export interface TextAlternative {
  readonly text: string;
  /** ln p, summed over its sentences, and their tokens (EOS included). */
  readonly logProb: number;
  readonly tokens: number;
}

type Sentence = Extract<Part, { translate: true }>;

export async function* translateTexts(
  translator: Translator,
  plan: RequestPlan,
  options: GenerateOptions,
  decodeBudgetMs: number = LIMITS.decodeMsPerRequest,
): AsyncGenerator<TextEvent, void, undefined> {
  const account = new CpuAccount(decodeBudgetMs);
  const ahead = new SentencesAhead(translator, plan, { ...options, account });
  try {
    for (const [index, parts] of plan.texts.entries()) {
      const text: TextState = { translation: '', usage: { input_tokens: 0, output_tokens: 0 }, finishReason: 'stop', logProb: 0, sentences: [] };
      for (const part of parts) {
        if (account.spent) {
          text.finishReason = 'length';
          break;
        }
        if (!part.translate) {
          text.translation += part.text;
          yield { type: 'delta', index, text: part.text, logprob: 0, tokens: 0 };
          continue;
        }
        text.usage.input_tokens += part.ids.length;
        const scores = new DeltaLogprobs((ids) => translator.decode(ids));
        for await (const delta of translateSentence(ahead.next(part), text, scores, translator.config.eosId)) yield { type: 'delta', index, ...delta };
      }
      const { translation, usage, finishReason, logProb, sentences } = text;
      const meanLogprob = usage.output_tokens === 0 ? 0 : logProb / usage.output_tokens;
      const alternatives = textAlternatives(parts, sentences, { text: translation, logProb, tokens: usage.output_tokens });
      yield { type: 'done', index, text: translation, usage, finishReason, logProb, meanLogprob, sentences, alternatives };
    }
  } finally {
    await ahead.close();
  }
}

interface TextState {
  translation: string;
  usage: { input_tokens: number; output_tokens: number };
  finishReason: FinishReason;
  logProb: number;
  sentences: Translation[];
}

/** The alternatives of a text whose parts are `parts`; only `translated` itself when a sentence was cut (it has no hypotheses). */
function textAlternatives(parts: readonly Part[], sentences: readonly Translation[], translated: TextAlternative): TextAlternative[] {
  const lists = sentences.map((s) => s.alternatives ?? [s]);
  if (sentences.length !== parts.filter((p) => p.translate).length) return [translated];
  const count = Math.max(1, ...lists.map((list) => list.length));
  const out: TextAlternative[] = [];
  for (let k = 0; k < count; k++) {
    let [text, logProb, tokens, sentence] = ['', 0, 0, 0];
    for (const part of parts) {
      if (!part.translate) {
        text += part.text;
        continue;
      }
      const list = lists[sentence++]!;
      const best = list[k] ?? list[0]!;
      text += best.text;
      logProb += best.logProb;
      tokens += best.ids.length + 1;
    }
    if (!out.some((a) => a.text === text)) out.push({ text, logProb, tokens });
  }
  return out;
}

/** One sentence's deltas with their scores, accumulated into `text`; a sentence cut by the budget ends without `done`. */
async function* translateSentence(events: AsyncGenerator<GenerationEvent>, text: TextState, scores: DeltaLogprobs, eos: number): AsyncGenerator<{ text: string } & DeltaScore> {
  let finished = false;
  for await (const event of events) {
    if (event.type === 'done') {
      finished = true;
      if (event.translation.finishReason === 'length') text.finishReason = 'length';
      text.sentences.push(event.translation);
      continue;
    }
    text.usage.output_tokens++;
    text.logProb += event.logProb; // per token, so that a sentence the budget cut counts what it generated
    const score = event.tokenId === eos ? scores.finish(event.logProb) : scores.token(event.tokenId, event.logProb, event.delta);
    if (!event.delta && score.tokens === 0) continue;
    text.translation += event.delta;
    yield { text: event.delta, ...score };
  }
  if (!finished) text.finishReason = 'length';
}

/** Starts the request's sentences ahead of the one being read, LOOKAHEAD_ROWS rows at most. */
class SentencesAhead {
  readonly #translator: Translator;
  readonly #options: GenerateOptions;
  readonly #pending: Sentence[];
  readonly #started = new Map<Sentence, AsyncGenerator<GenerationEvent, void, undefined>>();

  constructor(translator: Translator, plan: RequestPlan, options: GenerateOptions) {
    this.#translator = translator;
    this.#options = options;
    this.#pending = plan.texts.flat().filter((part): part is Sentence => part.translate);
  }

  /** The events of `sentence` (the next in reading order), started now if they were not yet. */
  next(sentence: Sentence): AsyncGenerator<GenerationEvent, void, undefined> {
    if (this.#pending[0] !== sentence) throw new Error('sentences must be read in order');
    this.#pending.shift();
    const events = this.#started.get(sentence) ?? this.#start(sentence);
    this.#started.delete(sentence);
    while (this.#pending.length > this.#started.size && (this.#started.size + 2) * this.#options.numBeams <= LOOKAHEAD_ROWS) {
      this.#start(this.#pending[this.#started.size]!);
    }
    return events;
  }

  /** Ends the sentences started and not read (the request failed, or ran out of budget). */
  async close(): Promise<void> {
    await Promise.all([...this.#started.values()].map((events) => events.return()));
    this.#started.clear();
  }

  #start(sentence: Sentence): AsyncGenerator<GenerationEvent, void, undefined> {
    const constraints = sentence.constraints.length > 0 ? [sentence.constraints] : undefined;
    const events = this.#translator.generate([sentence.ids], { ...this.#options, constraints });
    this.#started.set(sentence, events);
    return events;
  }
}
