// The text events of HTML documents, from the events of their text nodes: each document's markup is
// sent as it is and each node's translation, escaped, in between, so a document streams in reading
// order and its deltas, concatenated, are its final text (translate-texts.ts keeps that promise per node).
import type { Translation } from '@attend/decoding';
import type { FinishReason } from '@attend/protocol';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import { escapeHtmlText, type HtmlSplit } from './html.ts';
import type { RequestPlan } from './request-plan.ts';
import { type TextAlternative, type TextEvent, translateTexts } from './translate-texts.ts';

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
      let logProb = 0;
      const sentences: Translation[] = [];
      const nodeAlternatives: (readonly TextAlternative[])[] = [];
      const delta = (piece: string, logprob = 0, tokens = 0): TextEvent => {
        text += piece;
        return { type: 'delta', index, text: piece, logprob, tokens };
      };
      for (const [i, markup] of doc.markup.entries()) {
        if (markup !== '') yield delta(markup);
        if (i === doc.texts.length) break;
        for (;;) {
          const next = await nodes.next();
          if (next.done) throw new Error('translateTexts ended before the last text node');
          const event = next.value;
          if (event.type === 'delta') {
            if (event.text !== '' || event.tokens > 0) yield delta(escapeHtmlText(event.text), event.logprob, event.tokens);
            continue;
          }
          usage.input_tokens += event.usage.input_tokens;
          usage.output_tokens += event.usage.output_tokens;
          if (event.finishReason === 'length') finishReason = 'length';
          logProb += event.logProb;
          sentences.push(...event.sentences);
          nodeAlternatives.push(event.alternatives);
          break;
        }
      }
      const meanLogprob = usage.output_tokens === 0 ? 0 : logProb / usage.output_tokens;
      const alternatives = documentAlternatives(doc, nodeAlternatives);
      yield { type: 'done', index, text, usage, finishReason, logProb, meanLogprob, sentences, alternatives };
    }
  } finally {
    await nodes.return?.();
  }
}

/** A document's k-th alternative: its markup with each node's k-th alternative (its best when it has fewer), escaped; distinct. */
function documentAlternatives(doc: HtmlSplit, nodes: readonly (readonly TextAlternative[])[]): TextAlternative[] {
  const count = Math.max(1, ...nodes.map((list) => list.length));
  const out: TextAlternative[] = [];
  for (let k = 0; k < count; k++) {
    let [text, logProb, tokens] = ['', 0, 0];
    for (const [i, markup] of doc.markup.entries()) {
      text += markup;
      const list = nodes[i];
      const node = list?.[k] ?? list?.[0];
      if (!node) continue;
      text += escapeHtmlText(node.text);
      logProb += node.logProb;
      tokens += node.tokens;
    }
    if (!out.some((a) => a.text === text)) out.push({ text, logProb, tokens });
  }
  return out;
}
