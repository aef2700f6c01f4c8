import { describe, expect, it } from 'vitest';
import { FakeModel, markov, pieceDecoder, type NextTokens } from './fake-model.ts';
import { generate, generateStream } from './generate.ts';
import type { GenerationEvent } from './translation.ts';

const PAD = 0;
const EOS = 1;
const decode = pieceDecoder(['▁uno', '▁dos', '▁tres', 's', '▁cuatro', 'ñ', '▁cinco', 'é', '▁seis']);

async function collect(stream: AsyncIterable<GenerationEvent>): Promise<GenerationEvent[]> {
  const events: GenerationEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Row r of source [r, EOS] says `lengths[r]` tokens (id 3 + r) and then EOS. */
const counting =
  (lengths: readonly number[]): NextTokens =>
  (source, prefix) =>
    prefix.length < lengths[source[0]!]! ? { [3 + source[0]!]: 0.9 } : { [EOS]: 0.9 };

describe('greedy generation', () => {
  it('streams the same translations it returns, deltas concatenating to the text', async () => {
    const sources = [[4, 5, 6, EOS], [7, EOS], [8, 9, 10, 11, EOS]];
    const options = { decode, maxTokens: 40 };
    const events = await collect(generateStream(new FakeModel(12, markov(12, 7)), sources, options));
    const result = await generate(new FakeModel(12, markov(12, 7)), sources, options);
    for (const [index, translation] of result.translations.entries()) {
      const rowEvents = events.filter((event) => event.index === index);
      const tokens = rowEvents.flatMap((event) => (event.type === 'token' ? [event.tokenId] : []));
      const deltas = rowEvents.flatMap((event) => (event.type === 'token' ? [event.delta] : []));
      expect(tokens).toEqual([...translation.ids, EOS]);
      expect(deltas.join('')).toBe(translation.text);
      expect(translation.text).toBe(decode([...translation.ids]));
      expect(rowEvents.at(-1)).toEqual({ type: 'done', index, translation });
    }
    expect(result.translations.some((translation) => translation.ids.length > 2)).toBe(true);
  });

  it('finishes rows independently: a finished row leaves the batch, its result is its own', async () => {
    const model = new FakeModel(12, counting([3, 1, 5]));
    const { translations, usage } = await generate(model, [[0, EOS], [1, EOS], [2, EOS]], { decode });
    expect(translations.map((translation) => translation.ids)).toEqual([[3, 3, 3], [4], [5, 5, 5, 5, 5]]);
    expect(translations.map((translation) => translation.finishReason)).toEqual(['eos', 'eos', 'eos']);
    expect(model.steps).toEqual([[PAD, PAD, PAD], [3, 4, 5], [3, 5], [3, 5], [5], [5]]); // the longest row: 5 tokens + EOS
    expect(usage).toEqual({ inputTokens: 6, outputTokens: 4 + 2 + 6 });
    expect(model.live).toBe(0);
    for (const [row, translation] of translations.entries()) {
      const alone = await generate(new FakeModel(12, counting([3, 1, 5])), [[row, EOS]], { decode });
      expect(alone.translations[0]).toEqual(translation);
    }
  });

  it('gives each token the log-probability the model gave it, and the translation their sum', async () => {
    const steps: Record<number, number>[] = [{ 4: 0.6 }, { 5: 0.3, 6: 0.25 }, { [EOS]: 0.8 }];
    const next: NextTokens = (_, prefix) => steps[prefix.length]!;
    const events = await collect(generateStream(new FakeModel(12, next), [[3, EOS]], { decode }));
    const tokens = events.flatMap((event) => (event.type === 'token' ? [event] : []));
    expect(tokens.map((token) => token.tokenId)).toEqual([4, 5, EOS]);
    tokens.forEach((token, t) => expect(token.logProb).toBeCloseTo(Math.log([0.6, 0.3, 0.8][t]!), 6));
    const done = events.at(-1);
    expect(done?.type === 'done' && done.translation.logProb).toBeCloseTo(Math.log(0.6 * 0.3 * 0.8), 6);
  });

  it('forces EOS at the absolute and at the source-relative length limit', async () => {
    const endless: NextTokens = () => ({ 3: 0.99 });
    const absolute = await generate(new FakeModel(12, endless), [[5, 6, 7, EOS]], { decode, maxTokens: 5 });
    expect(absolute.translations[0]).toMatchObject({ ids: [3, 3, 3, 3], finishReason: 'length', usage: { outputTokens: 5 } });
    // floor(1.5 * 4 + 1) = 7 tokens, EOS included
    const relative = await generate(new FakeModel(12, endless), [[5, 6, 7, EOS]], { decode, maxLengthRatio: 1.5, maxLengthOffset: 1 });
    expect(relative.translations[0]!.ids).toHaveLength(6);
  });

  it('never generates a banned token, even when the model prefers it', async () => {
    const likesPad: NextTokens = (_, prefix): Record<number, number> => (prefix.length < 2 ? { [PAD]: 0.8, 4: 0.15 } : { [EOS]: 0.9 });
    const { translations } = await generate(new FakeModel(12, likesPad), [[3, EOS]], { decode });
    expect(translations[0]!.ids).toEqual([4, 4]);
    const banned = await generate(new FakeModel(12, likesPad), [[3, EOS]], { decode, badWordsIds: [[PAD], [4, 4]] });
    expect(banned.translations[0]!.ids).not.toContain(PAD);
    expect(banned.translations[0]!.ids.slice(0, 2)).not.toEqual([4, 4]);
  });

  it('stops calling the model once aborted between tokens, and frees its tensors', async () => {
    const model = new FakeModel(12, counting([50]));
    const controller = new AbortController();
    const seen: GenerationEvent[] = [];
    const run = async () => {
      for await (const event of generateStream(model, [[0, EOS]], { decode, signal: controller.signal })) {
        seen.push(event);
        if (seen.length === 3) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(model.steps).toHaveLength(3);
    expect(model.live).toBe(0);
  });

  it('yields nothing more after an abort that lands while the model is running', async () => {
    const model = new FakeModel(12, counting([50]));
    const controller = new AbortController();
    model.onStep = () => {
      if (model.steps.length === 2) controller.abort();
    };
    const seen: GenerationEvent[] = [];
    const run = async () => {
      for await (const event of generateStream(model, [[0, EOS]], { decode, signal: controller.signal })) seen.push(event);
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(model.steps).toHaveLength(2);
    expect(seen).toHaveLength(1);
    expect(model.live).toBe(0);
  });

  it('does not even encode when the signal is already aborted', async () => {
    const model = new FakeModel(12, counting([5]));
    const signal = AbortSignal.abort();
    await expect(generate(model, [[0, EOS]], { decode, signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(model.encoded).toHaveLength(0);
  });

  it('frees the model tensors when the consumer breaks out', async () => {
    const model = new FakeModel(12, counting([50]));
    for await (const event of generateStream(model, [[0, EOS]], { decode })) if (event.type === 'token') break;
    expect(model.steps).toHaveLength(1);
    expect(model.live).toBe(0);
  });
});
