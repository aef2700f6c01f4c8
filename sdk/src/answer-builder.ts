import { APIConnectionError } from './errors.ts';
import type { StartEvent, TranslateResponse, Translation, Usage } from './types.ts';
import type { TranslationStreamEvent } from './stream.ts';

/** Collects events into the {@link TranslateResponse} the non-streamed call would have returned. */
export class AnswerBuilder {
  #start: StartEvent | undefined;
  readonly #done = new Map<number, Translation>();

  add(event: TranslationStreamEvent): void {
    if (event.type === 'start') this.#start = event;
    else if (event.type === 'done') {
      const { type: _, index, ...translation } = event;
      this.#done.set(index, translation);
    }
  }

  build(): TranslateResponse {
    const start = this.#start;
    const translations: Translation[] = [];
    for (let i = 0; i < (start?.count ?? 0); i++) {
      const done = this.#done.get(i);
      if (done) translations.push(done);
    }
    if (!start || translations.length !== start.count) {
      throw new APIConnectionError(
        `Stream ended after ${translations.length} of ${start?.count ?? '?'} translations; retry the request.`,
      );
    }
    const usage: Usage = { input_tokens: 0, output_tokens: 0 };
    for (const t of translations) {
      usage.input_tokens += t.usage.input_tokens;
      usage.output_tokens += t.usage.output_tokens;
    }
    const { model, source, target, detected_language } = start;
    return { translations, model, source, target, usage, ...(detected_language && { detected_language }) };
  }
}
