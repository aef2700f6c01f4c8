import { describe, expect, it } from 'vitest';
import { scriptedRowsTranslator } from '../inference/scripted-rows.ts';
import { planRequest } from './request-plan.ts';
import { LOOKAHEAD_ROWS, type TextEvent, translateTexts } from './translate-texts.ts';

async function collect(events: AsyncIterable<TextEvent>) {
  const out: TextEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
const done = (events: readonly TextEvent[]) => events.filter((e) => e.type === 'done');
/** A sentence of n words: n + 1 source tokens, so up to 2n + 12 output tokens (the length limit). */
const sentence = (n: number) => `${Array.from({ length: n }, (_, i) => `w${i}`).join(' ')}.`;

describe('translateTexts', () => {
  it('reports finish_reason "stop" at EOS and "length" at max_tokens, with each sentence and their log-probability', async () => {
    const options = { numBeams: 1, maxTokens: 4 };
    const short = scriptedRowsTranslator({ tokens: 2 });
    const [stop] = done(await collect(translateTexts(short, planRequest(short, ['One.'], options), options)));
    expect(stop).toMatchObject({ text: 'x x', finishReason: 'stop', usage: { input_tokens: 2, output_tokens: 3 } });
    expect(stop?.type === 'done' && stop.sentences.map((s) => s.text)).toEqual(['x x']);
    expect(stop?.type === 'done' && stop.logProb).toBeCloseTo(3 * Math.log(0.9), 6); // x, x, EOS
    const long = scriptedRowsTranslator({ tokens: 9 });
    expect(done(await collect(translateTexts(long, planRequest(long, ['One.'], options), options)))).toMatchObject([{ text: 'x x x', finishReason: 'length' }]);
  });

  it('scores each delta by the tokens that wrote it; copied text by none; `done` by the mean over its tokens, EOS included', async () => {
    const options = { numBeams: 1, maxTokens: 10 };
    const translator = scriptedRowsTranslator({ tokens: 2 });
    const events = await collect(translateTexts(translator, planRequest(translator, ['One. Two.'], options), options));
    const deltas = events.filter((e) => e.type === 'delta');
    const [text] = done(events);
    if (text?.type !== 'done') throw new Error('no done');
    expect(deltas.map((e) => [e.text, e.tokens])).toEqual([['x', 1], [' x', 1], [' ', 0], ['x', 1], [' x', 1]]); // EOS is in no delta
    const summed = deltas.reduce((sum, e) => sum + (e.type === 'delta' ? e.logprob : 0), 0);
    expect(summed + 2 * Math.log(0.9)).toBeCloseTo(text.logProb, 6); // and the two EOS
    expect(text.meanLogprob).toBeCloseTo(text.logProb / text.usage.output_tokens, 9);
    expect(text.meanLogprob).toBeCloseTo(Math.log(0.9), 6);
    expect(text.alternatives).toEqual([{ text: 'x x x x', logProb: text.logProb, tokens: 6 }]);
  });

  it('decodes the sentences after the one it streams in the same steps, and streams them in reading order', async () => {
    const translator = scriptedRowsTranslator({ tokens: 3 });
    const options = { numBeams: 1, maxTokens: 10 };
    const texts = ['One. Two. Three.', 'Four.', ...Array.from({ length: 10 }, (_, i) => `Text ${i}.`)];
    const events = await collect(translateTexts(translator, planRequest(translator, texts, options), options));
    expect(Math.max(...translator.runs.map((run) => run.length))).toBe(LOOKAHEAD_ROWS);
    expect(translator.runs.length).toBeLessThanOrEqual(12); // 13 sentences of 4 steps: 52 runs one at a time
    expect(events.map((e) => e.index)).toEqual([...events.map((e) => e.index)].sort((a, b) => a - b));
    expect(done(events).map((e) => e.text)).toEqual(['x x x x x x x x x', ...texts.slice(1).map(() => 'x x x')]);
  });

  it('ends the text being decoded and those after it with "length" when the decode budget runs out', async () => {
    const translator = scriptedRowsTranslator({ stepMs: 2 }); // never reaches EOS
    const options = { numBeams: 1, maxTokens: 10_000 };
    const texts = [`${sentence(30)} ${sentence(30)}`, sentence(30)];
    const started = performance.now();
    const events = done(await collect(translateTexts(translator, planRequest(translator, texts, options), options, 60)));
    const elapsed = performance.now() - started;
    expect(events.map((d) => d.type === 'done' && d.finishReason)).toEqual(['length', 'length']);
    expect(events[0]!.text.length).toBeGreaterThan(0); // what was decoded stays
    expect(events[1]!.text).toBe('');
    expect(elapsed).toBeGreaterThanOrEqual(55); // alone, a request is charged all of each step
    expect(elapsed).toBeLessThan(1_000);
  });

  it('stops at the next step when the client goes away, and throws its reason', async () => {
    const translator = scriptedRowsTranslator({ stepMs: 1 });
    const client = new AbortController();
    const options = { numBeams: 1, maxTokens: 10_000, signal: client.signal };
    setTimeout(() => client.abort(new Error('client disconnected')), 30);
    const texts = [`${sentence(40)} ${sentence(40)}`];
    await expect(collect(translateTexts(translator, planRequest(translator, texts, options), options))).rejects.toThrow('client disconnected');
    const stopped = translator.runs.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(translator.runs.length).toBe(stopped);
  });
});
