import { describe, expect, it } from 'vitest';
import { splitHtml } from './html.ts';
import { htmlEvents } from './html-events.ts';
import type { TextEvent } from './translate-texts.ts';

/** Node events as translateTexts yields them: each node's translation in two deltas, then `done`. */
async function* nodeEvents(translations: readonly string[], finishReason: 'stop' | 'length' = 'stop'): AsyncGenerator<TextEvent> {
  for (const [index, text] of translations.entries()) {
    const half = Math.ceil(text.length / 2);
    yield { type: 'delta', index, text: text.slice(0, half) };
    yield { type: 'delta', index, text: text.slice(half) };
    yield { type: 'done', index, text, usage: { input_tokens: 2, output_tokens: 3 }, finishReason };
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
    expect(done[0]).toMatchObject({ usage: { input_tokens: 6, output_tokens: 9 }, finishReason: 'stop' });
    expect(done[1]).toMatchObject({ usage: { input_tokens: 0, output_tokens: 0 } });
  });

  it('ends a document with finish_reason "length" when any of its nodes was cut', async () => {
    const [done] = (await collect(htmlEvents([splitHtml('<i>a</i>')], nodeEvents(['x'], 'length')))).filter((e) => e.type === 'done');
    expect(done).toMatchObject({ text: '<i>x</i>', finishReason: 'length' });
  });
});
