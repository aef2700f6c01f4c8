// The text events of HTML documents, from the events of their text nodes: each document's markup is
// sent as it is and each node's translation, escaped, in between, so a document streams in reading
// order and its deltas, concatenated, are its final text (translate-texts.ts keeps that promise per node).
import type { FinishReason } from '@attend/protocol';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import { escapeHtmlText, type HtmlSplit } from './html.ts';
import type { RequestPlan } from './request-plan.ts';
import { type TextEvent, translateTexts } from './translate-texts.ts';

/** A request's text events: per text, or per HTML document when `docs` split its texts (the plan holds their nodes). */
export function textEvents(translator: Translator, plan: RequestPlan, options: GenerateOptions, docs?: readonly HtmlSplit[]): AsyncGenerator<TextEvent, void, undefined> {
  const events = translateTexts(translator, plan, options);
  return docs ? htmlEvents(docs, events) : events;
}

/** `nodeEvents` are translateTexts' events over every document's `texts`, in order; one `done` per node. */
export async function* htmlEvents(docs: readonly HtmlSplit[], nodeEvents: AsyncIterable<TextEvent>): AsyncGenerator<TextEvent, void, undefined> {
  const nodes = nodeEvents[Symbol.asyncIterator]();
  try {
    for (const [index, doc] of docs.entries()) {
      let text = '';
      const usage = { input_tokens: 0, output_tokens: 0 };
      let finishReason: FinishReason = 'stop';
      const delta = (piece: string): TextEvent => {
        text += piece;
        return { type: 'delta', index, text: piece };
      };
      for (const [i, markup] of doc.markup.entries()) {
        if (markup !== '') yield delta(markup);
        if (i === doc.texts.length) break;
        for (;;) {
          const next = await nodes.next();
          if (next.done) throw new Error('translateTexts ended before the last text node');
          const event = next.value;
          if (event.type === 'delta') {
            if (event.text !== '') yield delta(escapeHtmlText(event.text));
            continue;
          }
          usage.input_tokens += event.usage.input_tokens;
          usage.output_tokens += event.usage.output_tokens;
          if (event.finishReason === 'length') finishReason = 'length';
          break;
        }
      }
      yield { type: 'done', index, text, usage, finishReason };
    }
  } finally {
    await nodes.return?.();
  }
}
