import { describe, expect, it } from 'vitest';
import { fastest, formatTable, median, percentile, round } from './serve-stats.ts';

describe('percentile (nearest rank)', () => {
  it('picks a sample, never interpolates', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(median(samples)).toBe(3);
    expect(percentile(samples, 99)).toBe(5);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile(Array.from({ length: 200 }, (_, i) => i + 1), 99)).toBe(198);
    expect(percentile([], 50)).toBeNaN();
    expect(fastest(samples)).toBe(1);
  });
});

describe('formatTable', () => {
  it('aligns labels left and values right, rounded to 3 digits', () => {
    expect(round(1234.5)).toBe(1230);
    expect(formatTable([['a', 0.123456, 'note'], ['longer label', '7 / 8']])).toBe(['a             0.123  note', 'longer label  7 / 8'].join('\n'));
  });
});
