import { describe, expect, it } from 'vitest';
import { Constraints, type ConstraintState } from './constraint-state.ts';

const run = (constraints: Constraints, tokens: number[]): ConstraintState => tokens.reduce((s, t) => constraints.advance(s, t), constraints.start());

describe('Constraints', () => {
  const c = new Constraints([[5, 6, 7], [9]]);

  it('counts the constraint tokens produced, and allows EOS once every constraint is met', () => {
    const steps = [2, 5, 6, 3, 9, 5, 6, 7].map((_, i, all) => run(c, all.slice(0, i + 1)));
    expect(steps.map((s) => c.met(s))).toEqual([0, 1, 2, 0, 1, 2, 3, 4]); // "3" undid the progress on [5, 6, 7]
    expect(steps.map((s) => c.allMet(s))).toEqual([false, false, false, false, false, false, false, true]);
    expect(c.totalTokens).toBe(4);
  });

  it('keeps a met constraint met, and restarts one whose progress a token undid', () => {
    expect(c.met(run(c, [9, 9, 9]))).toBe(1);
    expect(run(c, [5, 6, 5])).toEqual({ met: [false, false], progress: { phrase: 0, at: 1 } });
  });

  it('proposes the tokens that produce one more constraint token', () => {
    expect(c.advancing(c.start()).sort()).toEqual([5, 9]);
    expect(c.advancing(run(c, [5])).sort()).toEqual([5, 6, 9]);
    expect(c.advancing(run(c, [9, 5, 6, 7]))).toEqual([]);
  });

  it('follows whichever of two constraints sharing a prefix the tokens spell', () => {
    const shared = new Constraints([[4, 5, 6], [4, 5, 8]]);
    const state = run(shared, [4, 5, 8]);
    expect(state.met).toEqual([false, true]);
    expect(shared.advancing(run(shared, [4, 5])).sort()).toEqual([4, 6, 8]);
  });

  it('refuses an empty constraint', () => {
    expect(() => new Constraints([[1], []])).toThrow(/at least one token/);
  });
});
