// A request's planned texts in, text events out: sentences are translated in order and the whitespace
// between them is copied, so deltas stream in reading order and their concatenation is the text's
// final translation. Decoding time is bounded per request (LIMITS.decodeMsPerRequest, counted while a
// generation slot is held, not while waiting for one): past it, the text being decoded and the ones
// after it end with what they have and finish_reason "length", before the platform's CPU limit would
// kill the request. Knows nothing of HTTP.
import { LIMITS, type FinishReason, type Usage } from '@attend/protocol';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import { generationSlots } from './generation-slots.ts';
import type { Part, RequestPlan } from './request-plan.ts';

export type TextEvent =
  | { readonly type: 'delta'; readonly index: number; readonly text: string }
  | { readonly type: 'done'; readonly index: number; readonly text: string; readonly usage: Usage; readonly finishReason: FinishReason };

export async function* translateTexts(
  translator: Translator,
  plan: RequestPlan,
  options: GenerateOptions,
  decodeBudgetMs: number = LIMITS.decodeMsPerRequest,
): AsyncGenerator<TextEvent, void, undefined> {
  const clock = new DecodeClock(decodeBudgetMs);
  for (const [index, parts] of plan.texts.entries()) {
    const text = { translation: '', usage: { input_tokens: 0, output_tokens: 0 }, finishReason: 'stop' as FinishReason };
    for (const part of parts) {
      if (clock.spent) {
        text.finishReason = 'length';
        break;
      }
      for await (const delta of translatePart(translator, part, options, clock, text)) yield { type: 'delta', index, text: delta };
    }
    yield { type: 'done', index, text: text.translation, usage: text.usage, finishReason: text.finishReason };
  }
}

interface TextState {
  translation: string;
  usage: { input_tokens: number; output_tokens: number };
  finishReason: FinishReason;
}

/** One part's deltas, accumulated into `text`; a part cut by the decode clock sets finishReason "length". */
async function* translatePart(translator: Translator, part: Part, options: GenerateOptions, clock: DecodeClock, text: TextState): AsyncGenerator<string> {
  if (!part.translate) {
    text.translation += part.text;
    yield part.text;
    return;
  }
  const release = await generationSlots.acquire(options.signal);
  const deadline = clock.start();
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  text.usage.input_tokens += part.ids.length;
  try {
    for await (const event of translator.generate([part.ids], { ...options, signal })) {
      if (event.type === 'done') {
        if (event.translation.finishReason === 'length') text.finishReason = 'length';
        continue;
      }
      text.usage.output_tokens++;
      if (!event.delta) continue;
      text.translation += event.delta;
      yield event.delta;
    }
  } catch (error) {
    if (!deadline.aborted || options.signal?.aborted) throw error;
    text.finishReason = 'length';
    clock.exhaust();
  } finally {
    clock.stop();
    release();
  }
}

/** Decoding time of one request; its signal aborts when the budget runs out mid-generation. */
class DecodeClock {
  #spentMs = 0;
  #since = 0;
  #exhausted = false;

  constructor(readonly budgetMs: number) {}

  get spent(): boolean {
    return this.#exhausted || this.#spentMs >= this.budgetMs;
  }

  exhaust(): void {
    this.#exhausted = true;
  }

  start(): AbortSignal {
    this.#since = performance.now();
    return AbortSignal.timeout(Math.max(1, this.budgetMs - this.#spentMs));
  }

  stop(): void {
    this.#spentMs += performance.now() - this.#since;
  }
}
