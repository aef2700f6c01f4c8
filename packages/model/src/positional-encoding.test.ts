import { describe, expect, it } from 'vitest';
import { positionalEncoding, positionsAt, sinusoidTable } from './positional-encoding.ts';

describe('sinusoidal positional encoding (Marian layout)', () => {
  const d = 8;
  const table = sinusoidTable(20, d);

  it('puts sin(pos / 10000^(2i/d)) in the first half and the cosines in the second', () => {
    for (const pos of [0, 1, 7, 19]) {
      for (let i = 0; i < d / 2; i++) {
        const angle = pos / 10000 ** ((2 * i) / d);
        expect(table[pos * d + i]).toBeCloseTo(Math.sin(angle), 12);
        expect(table[pos * d + d / 2 + i]).toBeCloseTo(Math.cos(angle), 12);
      }
    }
    expect(Array.from(table.subarray(0, d))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(table[1 * d + 0]).toBeCloseTo(0.8414709848, 9); // sin(1)
    expect(table[1 * d + 4]).toBeCloseTo(0.5403023059, 9); // cos(1)
    expect(table[7 * d + 1]).toBeCloseTo(Math.sin(0.7), 12); // 7 / 10000^(2/8) = 0.7
  });

  it('rejects an odd width', () => {
    expect(() => sinusoidTable(4, 7)).toThrow(/even width/);
  });

  it('becomes a constant tensor and is sliced from the past length', () => {
    const pe = positionalEncoding(20, d, 'float32');
    expect(pe.shape).toEqual([20, d]);
    expect(pe.requiresGrad).toBe(false);
    const rows = positionsAt(pe, 5, 3);
    expect(rows.shape).toEqual([3, d]);
    const expected = Array.from(table.subarray(5 * d, 8 * d));
    rows.toArray().forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6));
    expect(() => positionsAt(pe, 18, 3)).toThrow(/raise config.maxPositions/);
    rows.dispose();
    pe.dispose();
  });
});
