import { describe, expect, it } from 'vitest';
import { FakeModel, FakeRowDecoder, markov, pieceDecoder, type NextTokens } from './fake-model.ts';
import { generate } from './generate.ts';
import type { GenerationOptions } from './options.ts';
import { RowBudget } from './row-budget.ts';
import type { ScheduledGeneration } from './scheduled-generation.ts';
import { ENCODED_TOKEN_COST, StepScheduler } from './step-scheduler.ts';
import type { Translation } from './translation.ts';

const EOS = 1;
const decode = pieceDecoder(['▁uno', '▁dos', '▁tres', 's', '▁cuatro', 'ñ', '▁cinco', 'é', '▁seis']);
const LARGE = { maxRows: 100, maxCacheBytes: 100_000 };

/** Source [r, EOS] says `lengths[r]` tokens (id 3 + r) and then EOS. */
const counting =
  (lengths: readonly number[]): NextTokens =>
  (source, prefix) =>
    prefix.length < lengths[source[0]!]! ? { [3 + source[0]!]: 0.9 } : { [EOS]: 0.9 };

async function untilIdle(scheduler: StepScheduler<unknown>, ticks = 200): Promise<void> {
  for (let i = 0; i < ticks && scheduler.hasWork; i++) await scheduler.tick();
}

/** Its translations, in source order. */
function translations(generation: ScheduledGeneration): Translation[] {
  const out: Translation[] = [];
  for (const event of generation.drain()) if (event.type === 'done') out[event.index] = event.translation;
  return out;
}

describe('StepScheduler', () => {
  it('steps rows that joined at different times together, and each decodes as it would alone', async () => {
    const next: NextTokens = (source, prefix) => (source[0] === 4 && prefix.length < 6 ? { 5: 0.9 } : markov(12, 5)(source, prefix));
    const decoder = new FakeRowDecoder(12, next);
    const scheduler = new StepScheduler(decoder, new RowBudget(LARGE), 1);
    const [x, y] = [{}, {}];
    const sources = { a: [[4, 5, EOS]], b: [[7, 8, 9, EOS]], c: [[3, EOS], [6, 6, EOS]] };
    const options: Record<string, GenerationOptions> = { a: { decode, maxTokens: 20 }, b: { decode, numBeams: 3, maxTokens: 20 }, c: { decode, maxTokens: 20 } };
    const a = scheduler.submit(sources.a, options.a!, x);
    await scheduler.tick();
    await scheduler.tick();
    const b = scheduler.submit(sources.b, options.b!, y);
    const c = scheduler.submit(sources.c, options.c!, x);
    await untilIdle(scheduler);
    expect(decoder.encoded).toEqual([sources.a, [...sources.b, ...sources.c]]); // B and C joined in one encoder pass
    expect(decoder.steps[2]!.length).toBe(1 + 1 + 2); // A's row, B's first beam, C's two rows: one run
    for (const [name, generation] of [['a', a], ['b', b], ['c', c]] as const) {
      const alone = await generate(new FakeModel(12, next), sources[name], options[name]!);
      expect(translations(generation)).toEqual(alone.translations);
      expect(generation.state).toBe('finished');
    }
    expect(decoder.live).toBe(0);
  });

  it('admits within the budget, the owner with the fewest rows first, and frees rows as sources end', async () => {
    const decoder = new FakeRowDecoder(12, counting([2, 2, 2, 2]));
    const budget = new RowBudget({ maxRows: 2, maxCacheBytes: 1_000 });
    const scheduler = new StepScheduler(decoder, budget, 1);
    const [long, short] = [{}, {}];
    const longs = [0, 1, 2].map((r) => scheduler.submit([[r, EOS]], { decode }, long));
    const brief = scheduler.submit([[3, EOS]], { decode }, short);
    const admittedAt = new Map<ScheduledGeneration, number>();
    for (let tick = 0; scheduler.hasWork; tick++) {
      await scheduler.tick();
      expect(budget.rows).toBeLessThanOrEqual(2);
      for (const g of [...longs, brief]) if (g.state !== 'queued' && !admittedAt.has(g)) admittedAt.set(g, tick);
    }
    expect(admittedAt.get(brief)).toBe(0); // ahead of the long request's second and third sentences
    expect([admittedAt.get(longs[1]!), admittedAt.get(longs[2]!)]).toEqual([3, 3]);
    expect(budget.rows).toBe(0);
    expect(decoder.live).toBe(0);
  });

  it('runs a generation larger than the whole budget once nothing else decodes', async () => {
    const scheduler = new StepScheduler(new FakeRowDecoder(12, counting([3, 2])), new RowBudget({ maxRows: 1, maxCacheBytes: 4 }), 1);
    const generation = scheduler.submit([[0, EOS], [1, EOS]], { decode }, {});
    await untilIdle(scheduler);
    expect(translations(generation).map((t) => t.ids)).toEqual([[3, 3, 3], [4, 4]]);
  });

  it('frees a cancelled generation at once, queued or decoding (no tick needed: its model may see none)', async () => {
    const decoder = new FakeRowDecoder(12, counting([50, 50]));
    const budget = new RowBudget(LARGE);
    const scheduler = new StepScheduler(decoder, budget, 1);
    const cancelled = scheduler.submit([[0, EOS]], { decode, numBeams: 2 }, {});
    await scheduler.tick();
    await scheduler.tick();
    const queued = scheduler.submit([[1, EOS]], { decode }, {});
    cancelled.cancel();
    queued.cancel();
    expect([cancelled.state, queued.state]).toEqual(['finished', 'finished']);
    expect([budget.rows, budget.bytes]).toEqual([0, 0]);
    expect(cancelled.error).toBeUndefined();
    expect(decoder.encoded).toHaveLength(1);
    expect(decoder.live).toBe(0);
    expect(scheduler.hasWork).toBe(false);
  });

  it('ends only the generation whose rows make the run fail; the others decode on unchanged', async () => {
    const next = counting([4, 6]);
    const decoder = new FakeRowDecoder(12, next);
    decoder.failStep = (tokens) => tokens.includes(4);
    const scheduler = new StepScheduler(decoder, new RowBudget(LARGE), 1);
    const good = scheduler.submit([[0, EOS]], { decode }, {});
    const bad = scheduler.submit([[1, EOS]], { decode }, {}); // feeds token 4 from its second step on
    await untilIdle(scheduler);
    expect(bad.error?.reason).toEqual(new Error('the runtime failed'));
    expect(bad.state).toBe('finished');
    expect(translations(good)).toEqual((await generate(new FakeModel(12, next), [[0, EOS]], { decode })).translations);
    expect(decoder.live).toBe(0);
  });

  it('charges each owner its rows of every step and its encoded tokens', async () => {
    const scheduler = new StepScheduler(new FakeRowDecoder(12, counting([5, 5])), new RowBudget(LARGE), 1);
    const [x, y] = [{}, {}];
    scheduler.submit([[0, EOS]], { decode, numBeams: 1 }, x);
    scheduler.submit([[1, 9, 9, EOS], [0, EOS]], { decode }, y);
    const first = await scheduler.tick();
    expect(first.get(x)).toBe(1 + 2 * ENCODED_TOKEN_COST);
    expect(first.get(y)).toBe(2 + 6 * ENCODED_TOKEN_COST);
    const second = await scheduler.tick();
    expect([second.get(x), second.get(y)]).toEqual([1, 2]);
  });
});
