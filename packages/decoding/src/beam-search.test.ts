import { describe, expect, it } from 'vitest';
import type { SelectCandidates } from './beam-candidates.ts';
import { selectTopCandidates } from './beam-candidates.ts';
import { BeamSearch } from './beam-search.ts';
import { FakeModel, logProbabilities, markov, pieceDecoder, type NextTokens } from './fake-model.ts';
import { generate } from './generate.ts';
import { type GenerationOptions, resolveOptions } from './options.ts';
import { logSoftmaxRows } from './scores.ts';
import type { GenerationEvent } from './translation.ts';

const EOS = 1;
const decode = pieceDecoder(['▁uno', '▁dos', '▁tres', 's', '▁cuatro', 'ñ', '▁cinco', 'é', '▁seis']);

/** BeamSearch on one source, whatever its width, with `next` as the model. */
function searchAlone(next: NextTokens, source: readonly number[], options: GenerationOptions): GenerationEvent[] {
  const search = new BeamSearch(source, 0, resolveOptions(options));
  let prefixes: (readonly number[])[] = [[]];
  const events: GenerationEvent[] = [];
  for (;;) {
    const logits = new Float32Array(prefixes.length * 12);
    prefixes.forEach((prefix, row) => logits.set(logProbabilities(12, next(source, prefix)), row * 12));
    const step = search.advance(logSoftmaxRows(logits, prefixes.length));
    events.push(...step.events);
    if (step.parents.length === 0) return events;
    prefixes = step.parents.map((parent, row) => [...prefixes[parent]!, search.tokens[row]!]);
  }
}

/** A scripted decoder that ignores the source: p(next | prefix); unlisted prefixes almost never end. */
const scripted =
  (table: Readonly<Record<string, Readonly<Record<number, number>>>>): NextTokens =>
  (_, prefix) =>
    table[prefix.join(' ')] ?? { [EOS]: 1e-6 };

// Greedy takes 3 (p .5) and then has only p .3 continuations: p(3 5 </s>) = .135.
// Beam search keeps 4 (p .4) alive, which ends at once: p(4 </s>) = .38.
const GARDEN_PATH = scripted({
  '': { 3: 0.5, 4: 0.4, [EOS]: 1e-6 },
  '3': { 5: 0.3, 6: 0.3, 7: 0.3, [EOS]: 1e-6 },
  '3 5': { [EOS]: 0.9 },
  '3 6': { [EOS]: 0.9 },
  '4': { [EOS]: 0.95 },
});

// Short: 5 </s>, log p = ln(.4 * .9) = -1.02 over 2 tokens. Long: 3 4 6 </s>, ln(.5 * .7^3) = -1.77
// over 4 tokens. alpha = 0 ranks by log p (short wins); alpha = 1 by log p per token (-.51 < -.44).
const SHORT_OR_LONG = scripted({
  '': { 3: 0.5, 5: 0.4, [EOS]: 1e-6 },
  '5': { [EOS]: 0.9 },
  '3': { 4: 0.7, [EOS]: 1e-6 },
  '3 4': { 6: 0.7, [EOS]: 1e-6 },
  '3 4 6': { [EOS]: 0.7 },
});

describe('beam search', () => {
  it('finds a more probable sequence that greedy misses, and stops once W hypotheses end', async () => {
    const greedy = await generate(new FakeModel(12, GARDEN_PATH), [[9, EOS]], { decode });
    expect(greedy.translations[0]!.ids).toEqual([3, 5]);
    const model = new FakeModel(12, GARDEN_PATH);
    const beam = await generate(model, [[9, EOS]], { decode, numBeams: 2 });
    expect(beam.translations[0]).toMatchObject({ ids: [4], text: 'dos', finishReason: 'eos', usage: { inputTokens: 2, outputTokens: 2 } });
    expect(model.steps).toEqual([[0], [3, 4], [5, 6]]);
    expect(model.live).toBe(0);
  });

  it('ranks by log-probability per token^alpha', async () => {
    const run = async (lengthPenalty: number) =>
      (await generate(new FakeModel(12, SHORT_OR_LONG), [[9, EOS]], { decode, numBeams: 2, lengthPenalty })).translations[0]!.ids;
    expect(await run(0)).toEqual([5]);
    expect(await run(1)).toEqual([3, 4, 6]);
  });

  it('ends a hypothesis only on an EOS ranked among the W best candidates', async () => {
    // Step 2 ranks 3 </s> (-1.39), 3 5 (-1.49), 4 </s> (-1.61): the third must not close a
    // hypothesis, or two would be closed and the search would stop before 3 5 </s> (-1.50 / 3).
    const next = scripted({
      '': { 3: 0.5, 4: 0.4, [EOS]: 1e-6 },
      '3': { [EOS]: 0.5, 5: 0.45 },
      '4': { [EOS]: 0.5, 6: 0.3 },
      '3 5': { [EOS]: 0.99 },
    });
    const { translations } = await generate(new FakeModel(12, next), [[9, EOS]], { decode, numBeams: 2 });
    expect(translations[0]!.ids).toEqual([3, 5]);
  });

  it('keeps W beams alive when EOS is among a beam\'s best tokens', async () => {
    // From the single first beam, 3 and </s> are the two best; 4 (third) leads to the best hypothesis:
    // ln(.15 * .99) / 2 = -.95 against ln .3 = -1.2 and ln(.5 * .1 * .9) / 3 = -1.03.
    const next = scripted({ '': { 3: 0.5, [EOS]: 0.3, 4: 0.15 }, '3': { 5: 0.1, 6: 0.1, [EOS]: 1e-6 }, '4': { [EOS]: 0.99 }, '3 5': { [EOS]: 0.9 }, '3 6': { [EOS]: 0.9 } });
    const { translations } = await generate(new FakeModel(12, next), [[9, EOS]], { decode, numBeams: 2 });
    expect(translations[0]!.ids).toEqual([4]);
  });

  it('equals greedy at width 1', async () => {
    const sources = [[4, 5, 6, EOS], [7, EOS], [8, 9, 10, 11, 3, EOS]];
    for (const seed of [1, 2, 3, 4, 5]) {
      const options = { decode, maxTokens: 30 };
      const greedy = await generate(new FakeModel(12, markov(12, seed)), sources, options);
      sources.forEach((source, index) => {
        const done = searchAlone(markov(12, seed), source, { ...options, numBeams: 1 }).at(-1);
        const { ids, text, finishReason, usage, logProb } = greedy.translations[index]!;
        expect(done?.type === 'done' && done.translation).toMatchObject({ ids, text, finishReason, usage: { outputTokens: usage.outputTokens } });
        expect(done?.type === 'done' && done.translation.logProb).toBeCloseTo(logProb, 9);
      });
    }
  });

  it('lists the N best hypotheses with distinct texts, best first, and the log-probability of each token', async () => {
    const options = { decode, numBeams: 3, numReturnSequences: 3 };
    const events = searchAlone(GARDEN_PATH, [9, EOS], options);
    const done = events.at(-1)!;
    if (done.type !== 'done') throw new Error('no done event');
    const { translation } = done;
    expect(translation.alternatives?.map((a) => a.ids)).toEqual([[4], [3, 5], [3, 6]]);
    expect(translation.alternatives?.[0]).toEqual({ ids: translation.ids, text: translation.text, score: translation.logProb / 2, logProb: translation.logProb });
    expect(translation.alternatives![1]!.score).toBeCloseTo(Math.log(0.5 * 0.3 * 0.9) / 3, 6);
    const tokens = events.flatMap((event) => (event.type === 'token' ? [event.logProb] : []));
    expect(tokens).toHaveLength(2);
    tokens.forEach((logProb, t) => expect(logProb).toBeCloseTo(Math.log([0.4, 0.95][t]!), 6));
    expect(translation.logProb).toBeCloseTo(Math.log(0.4 * 0.95), 6);
    expect(() => resolveOptions({ decode, numBeams: 2, numReturnSequences: 3 })).toThrow(RangeError);
  });

  it('picks beams with the candidate selection it is given', async () => {
    // A selection that never extends with token 4 (as a constraint could rule): garden path wins again.
    const without4: SelectCandidates = (step) => selectTopCandidates({ ...step, logProbs: step.logProbs.map((row) => row.map((p, id) => (id === 4 ? -Infinity : p))) });
    const done = searchAlone(GARDEN_PATH, [9, EOS], { decode, numBeams: 2, selectCandidates: without4 }).at(-1);
    expect(done?.type === 'done' && done.translation.ids).toEqual([3, 5]);
  });

  it('finishes sources independently: done sources leave the batch, results match single runs', async () => {
    // Source [r] wants `lengths[r]` tokens 3 + r, then EOS.
    const lengths = [1, 4, 2];
    const next: NextTokens = (source, prefix) =>
      prefix.length < lengths[source[0]!]! ? { [3 + source[0]!]: 0.9, [EOS]: 1e-6 } : { [EOS]: 0.9 };
    const model = new FakeModel(12, next);
    const { translations } = await generate(model, [[0, EOS], [1, EOS], [2, EOS]], { decode, numBeams: 2 });
    expect(translations.map((translation) => translation.ids)).toEqual([[3], [4, 4, 4, 4], [5, 5]]);
    expect(model.steps.map((tokens) => tokens.length)).toEqual([3, 6, 4, 2, 2]); // 1 beam each, 2 each, sources 1 and 2, source 1;
    for (const [row, translation] of translations.entries()) {
      const alone = await generate(new FakeModel(12, next), [[row, EOS]], { decode, numBeams: 2 });
      expect(alone.translations[0]).toEqual(translation);
    }
  });

  it('forces EOS at the length limit', async () => {
    const endless: NextTokens = () => ({ 3: 0.6, 4: 0.39 });
    const { translations } = await generate(new FakeModel(12, endless), [[5, EOS]], { decode, numBeams: 3, maxTokens: 4 });
    expect(translations[0]).toMatchObject({ ids: [3, 3, 3], finishReason: 'length', usage: { outputTokens: 4 } });
  });

  it('stops calling the model when aborted', async () => {
    const model = new FakeModel(12, markov(12, 3));
    const controller = new AbortController();
    model.onStep = () => {
      if (model.steps.length === 2) controller.abort();
    };
    const run = generate(model, [[4, EOS], [5, EOS]], { decode, numBeams: 4, signal: controller.signal });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(model.steps).toHaveLength(2);
    expect(model.live).toBe(0);
  });
});
