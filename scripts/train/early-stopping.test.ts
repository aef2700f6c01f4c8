import { describe, expect, it } from 'vitest';
import { EarlyStopping } from './early-stopping.ts';

describe('early stopping', () => {
  it('keeps the best BLEU and stops after `patience` validations without improvement', () => {
    const stopping = new EarlyStopping('bleu', 2);
    expect(stopping.observe(100, 10)).toEqual({ improved: true, stop: false });
    expect(stopping.observe(200, 12)).toEqual({ improved: true, stop: false });
    expect(stopping.observe(300, 12)).toEqual({ improved: false, stop: false });
    expect(stopping.observe(400, 11)).toEqual({ improved: false, stop: true });
    expect(stopping.state).toEqual({ best: 12, bestStep: 200, badValidations: 2 });
  });

  it('treats a lower loss as better and resumes from a saved state', () => {
    const stopping = new EarlyStopping('loss', 0, { best: 2.5, bestStep: 100, badValidations: 7 });
    expect(stopping.observe(200, 2.6)).toEqual({ improved: false, stop: false }); // patience 0: never stops
    expect(stopping.observe(300, 2.4)).toEqual({ improved: true, stop: false });
    expect(stopping.state).toEqual({ best: 2.4, bestStep: 300, badValidations: 0 });
  });
});
