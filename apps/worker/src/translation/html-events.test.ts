import { describe, expect, it } from 'vitest';
import { splitHtml } from './html.ts';
import { htmlEvents } from './html-events.ts';
import type { TextEvent } from './translate-texts.ts';

/** Node events as translateTexts yields them: each node's translation in two deltas, then `done`. */
async function* nodeEvents(translations: readonly string[], finishReason: 'stop' | 'length' = 'stop'): AsyncGenerator<TextEvent> {
  for (const [index, text] of translations.entries()) {
    const half = Math.ceil(text.length / 2);
    yield { type: 'delta', index, text: text.slice(0, half), logprob: -0.25, tokens: 1 };
    yield { type: 'delta', index, text: text.slice(half), logprob: -0.125, tokens: 1 };
    yield { type: 'done', index, text, usage: { input_tokens: 2, output_tokens: 3 }, finishReason, logProb: -0.5, meanLogprob: -0.5 / 3, sentences: [], alternatives: [{ text, logProb: -0.5, tokens: 3 }] };
  }
}

const collect = async (events: AsyncIterable<TextEvent>) => {
  const all: TextEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
};

describe('htmlEvents', () => {
  it('streams each document in reading order: markup as sent, translations escaped, deltas adding up to `done`', async () => {
    const docs = ['<p>Open the <b>file</b> menu.</p>', '<br>', 'A &amp; B'].map(splitHtml);
    const events = await collect(htmlEvents(docs, nodeEvents(['Abre el', 'archivo', 'menú.', 'A & B'])));
    const done = events.filter((e) => e.type === 'done');
    expect(done.map((e) => [e.index, e.text])).toEqual([
      [0, '<p>Abre el <b>archivo</b> menú.</p>'],
      [1, '<br>'],
      [2, 'A &amp; B'],
    ]);
    for (const d of done) {
      const deltas = events.filter((e) => e.type === 'delta' && e.index === d.index).map((e) => e.text);
      expect(deltas.join('')).toBe(d.text);
    }
    expect(events.map((e) => e.index)).toEqual([...events.map((e) => e.index)].sort()); // documents in order
    expect(done[0]).toMatchObject({ usage: { input_tokens: 6, output_tokens: 9 }, finishReason: 'stop', logProb: -1.5, meanLogprob: -1.5 / 9 });
    const markup = events.filter((e) => e.type === 'delta' && e.index === 0 && e.text.startsWith('<'));
    expect(markup.every((e) => e.type === 'delta' && e.logprob === 0 && e.tokens === 0)).toBe(true); // markup: no token wrote it
    const scored = events.filter((e) => e.type === 'delta' && e.index === 0 && e.tokens > 0);
    expect(scored.reduce((sum, e) => sum + (e.type === 'delta' ? e.logprob : 0), 0)).toBeCloseTo(3 * -0.375); // the nodes' scores, kept
    expect(done[1]).toMatchObject({ usage: { input_tokens: 0, output_tokens: 0 } });
  });

  it('ends a document with finish_reason "length" when any of its nodes was cut', async () => {
    const [done] = (await collect(htmlEvents([splitHtml('<i>a</i>')], nodeEvents(['x'], 'length')))).filter((e) => e.type === 'done');
    expect(done).toMatchObject({ text: '<i>x</i>', finishReason: 'length' });
  });
});
