import { describe, expect, it } from 'vitest';
import { FakeModel, FakeRowDecoder, markov, pieceDecoder, type NextTokens } from '../fake-model.ts';
import { generate } from '../generate.ts';
import { RowBudget } from '../row-budget.ts';
import { StepScheduler } from '../step-scheduler.ts';
import type { Translation } from '../translation.ts';

const EOS = 1;
const decode = pieceDecoder(['▁uno', '▁dos', '▁tres', 's', '▁cuatro', 'ñ', '▁cinco', 'é', '▁seis', '▁siete']);

/** The model wants 3 4 5 </s>, whatever the source. */
const wants: NextTokens = (_, prefix) => {
  const written = prefix.filter((t) => [3, 4, 5].includes(t)).length;
  return written < 3 ? { [3 + written]: 0.6, [EOS]: 0.01 } : { [EOS]: 0.6 };
};

const contains = (ids: readonly number[], phrase: readonly number[]) => ` ${ids.join(' ')} `.includes(` ${phrase.join(' ')} `);

describe('constrained beam search', () => {
  it('writes every constraint of its row, and leaves the other rows as they were', async () => {
    const sources = [[2, EOS], [2, EOS]];
    const plain = await generate(new FakeModel(12, wants), sources, { decode, numBeams: 2 });
    const model = new FakeModel(12, wants);
    const forced = await generate(model, sources, { decode, numBeams: 2, constraints: [[[9, 10], [7]]] });
    expect(contains(forced.translations[0]!.ids, [9, 10]) && contains(forced.translations[0]!.ids, [7])).toBe(true);
    expect(forced.translations[0]!.ids.filter((t) => [3, 4, 5].includes(t))).toEqual([3, 4, 5]); // and still what the model wants
    expect(forced.translations[1]).toEqual(plain.translations[1]);
    expect(model.live).toBe(0);
  });

  it('widens the beam to a bank per forced token (at most maxConstrainedBeams), plus the unconstrained rows', async () => {
    const model = new FakeModel(12, wants);
    await generate(model, [[2, EOS]], { decode, numBeams: 2, constraints: [[[9, 10, 11]]], maxConstrainedBeams: 3 });
    expect(Math.max(...model.steps.map((tokens) => tokens.length))).toBeLessThanOrEqual(2 + 3);
  });

  it('falls back to the unconstrained translation when no hypothesis meets every constraint', async () => {
    // Token 9 is banned: the constraint cannot be met.
    const options = { decode, numBeams: 2, badWordsIds: [[0], [9]] };
    const plain = await generate(new FakeModel(12, wants), [[2, EOS]], options);
    const forced = await generate(new FakeModel(12, wants), [[2, EOS]], { ...options, constraints: [[[9]]] });
    expect(forced.translations).toEqual(plain.translations);
  });

  it('decodes through the StepScheduler as generate does, within the rows it reserved', async () => {
    const next = markov(12, 3);
    const sources = [[4, 5, EOS], [6, EOS]];
    const options = { decode, numBeams: 2, maxTokens: 12, constraints: [undefined, [[8, 8]]] };
    const alone = await generate(new FakeModel(12, next), sources, options);
    const decoder = new FakeRowDecoder(12, next);
    const budget = new RowBudget({ maxRows: 100, maxCacheBytes: 100_000 });
    const scheduler = new StepScheduler(decoder, budget, 1);
    const generation = scheduler.submit(sources, options, {});
    expect(generation.reservation.rows).toBe(2 + 2 + 3); // row 0's beam, row 1's unconstrained beam and its 3 banks
    for (let i = 0; i < 100 && scheduler.hasWork; i++) await scheduler.tick();
    const out: Translation[] = [];
    for (const event of generation.drain()) if (event.type === 'done') out[event.index] = event.translation;
    expect(out).toEqual(alone.translations);
    expect(contains(out[1]!.ids, [8, 8])).toBe(true);
    expect(decoder.live).toBe(0);
    expect(budget.rows).toBe(0);
  });

  it('refuses an empty phrase', async () => {
    await expect(generate(new FakeModel(12, wants), [[2, EOS]], { decode, constraints: [[[]]] })).rejects.toThrow(/empty phrase/);
  });
});
