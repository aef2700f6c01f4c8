import { describe, expect, it } from 'vitest';
import { bestCut, cutAt, rocAuc } from './threshold-sweep.ts';

const points = [
  { score: 0.05, doubtful: true },
  { score: 0.1, doubtful: true },
  { score: 0.2, doubtful: false },
  { score: 0.3, doubtful: true },
  { score: 0.9, doubtful: false },
];

describe('threshold sweep', () => {
  it('counts precision and recall of "doubtful below t"', () => {
    expect(cutAt(points, 0.25)).toMatchObject({ precision: 2 / 3, recall: 2 / 3, marked: 0.6 });
    expect(cutAt(points, 0.01)).toMatchObject({ precision: 1, recall: 0, f1: 0, marked: 0 });
  });

  it('gives the ROC AUC: 1 when every doubtful word scores lower, 0.5 for ties', () => {
    expect(rocAuc(points)).toBeCloseTo(5 / 6); // of the 6 (doubtful, other) pairs, only (0.3, 0.2) is out of order
    expect(rocAuc([{ score: 0.1, doubtful: true }, { score: 0.1, doubtful: false }])).toBe(0.5);
  });

  it('picks the threshold of the highest measure', () => {
    expect(bestCut(points, (c) => c.f1).threshold).toBe(0.35);
  });
});
