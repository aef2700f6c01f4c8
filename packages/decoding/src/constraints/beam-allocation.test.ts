import { describe, expect, it } from 'vitest';
import { type ConstrainedBeam, allocateBeams, bankSizes, nextConstrainedBeams } from './beam-allocation.ts';
import { Constraints } from './constraint-state.ts';

const EOS = 1;
const VOCAB = 10;

/**
 * A hand-made scorer: the "model" wants to write 2 3 4 and stop. At each step the next of those gets
 * p = 0.6, EOS 0.3 once they are written (0.05 before), and the other tokens share the rest evenly;
 * tokens 6..9 never appear in what it wants, so only constraints can bring them in.
 */
function scorer(prefix: readonly number[]): Float64Array {
  const wanted = [2, 3, 4];
  const written = prefix.filter((t) => wanted.includes(t)).length;
  const probabilities = new Float64Array(VOCAB);
  const next = wanted[written];
  const eos = next === undefined ? 0.6 : 0.05;
  if (next !== undefined) probabilities[next] = 0.6;
  const rest = (1 - eos - (next === undefined ? 0 : 0.6)) / (VOCAB - 3);
  for (let t = 0; t < VOCAB; t++) if (t !== next && t !== EOS) probabilities[t] = t === 0 ? 0 : rest;
  probabilities[EOS] = eos;
  return probabilities.map(Math.log);
}

/** The search a beam-search step feeds: live beams, the hypotheses EOS closed, the best by log p / length. */
function constrainedSearch(phrases: number[][], width: number, maxLength = 12): number[] {
  const constraints = new Constraints(phrases);
  let live: (ConstrainedBeam & { ids: number[] })[] = [{ ids: [], logProb: 0, state: constraints.start() }];
  const closed: { ids: number[]; score: number }[] = [];
  for (let step = 0; step < maxLength && live.length > 0 && closed.length < width; step++) {
    const rows = live.map((beam) => scorer(beam.ids));
    const next = nextConstrainedBeams(live, rows, constraints, width, EOS);
    const previous = live;
    live = [];
    for (const n of next) {
      const ids = [...previous[n.parent]!.ids, n.token];
      if (n.token === EOS) closed.push({ ids: ids.slice(0, -1), score: n.logProb / ids.length });
      else live.push({ ids, logProb: n.logProb, state: n.state });
    }
  }
  return closed.reduce((a, b) => (b.score > a.score ? b : a)).ids;
}

describe('bankSizes', () => {
  it('gives each bank W / (C + 1) slots, the remainder to the top bank, and moves unfillable slots to the fullest', () => {
    expect(bankSizes([9, 9, 9], 8)).toEqual([2, 2, 4]);
    expect(bankSizes([9, 0, 1], 6)).toEqual([5, 0, 1]);
    expect(bankSizes([1, 1, 1], 8)).toEqual([1, 1, 1]);
    expect(bankSizes([4], 4)).toEqual([4]);
  });
});

describe('allocateBeams', () => {
  it('keeps the best of each bank, not the best overall', () => {
    const constraints = new Constraints([[7]]);
    const beams = [{ logProb: 0, state: constraints.start() }];
    const candidates = [2, 3, 4, 5, 7].map((token, i) => ({ parent: 0, token, logProb: -i }));
    const chosen = allocateBeams(candidates, beams, constraints, 2);
    expect(chosen.map((c) => c.token)).toEqual([2, 7]); // 7 is the worst candidate, but alone in bank 1
    expect(chosen[1]!.state.met).toEqual([true]);
  });
});

describe('constrained beam search with Dynamic Beam Allocation', () => {
  it('without constraints, finds what the model wants', () => {
    expect(constrainedSearch([], 4)).toEqual([2, 3, 4]);
  });

  it('puts every constraint, contiguous, into the output, and ends only then', () => {
    for (const phrases of [[[7, 8]], [[7, 8], [9]], [[6], [8, 9, 7]]]) {
      const output = constrainedSearch(phrases, 4);
      for (const phrase of phrases) expect(output.join(' '), JSON.stringify(phrases)).toContain(phrase.join(' '));
      expect(output.filter((t) => [2, 3, 4].includes(t))).toEqual([2, 3, 4]); // and still writes what it wants
    }
  });
});
