import { describe, expect, it } from 'vitest';
import { type CachedRow, CacheFeeds } from './serving-cache-feeds.ts';

const D = 2;
/** A row whose slot s of tensor k holds [k, s] (and its cross-attention tensors [-k, s]). */
function row(position: number, sourceLength = 3): CachedRow & { position: number } {
  const block = (k: number, length: number, sign: number) => Float32Array.from({ length: length * D }, (_, i) => (i % D === 0 ? sign * k : Math.floor(i / D)));
  return { sourceLength, position, self: [0, 1].map((k) => block(k, 8, 1)), cross: [0, 1].map((k) => block(k, sourceLength, -1)) };
}

/** Slots 0..position-1 of every row, and its whole source, as a fresh gather would lay them out. */
function expectRows(feeds: { self: Float32Array[]; cross: Float32Array[] }, rows: readonly CachedRow[], cacheLength: number, sourceLength: number) {
  rows.forEach((r, b) => {
    for (const k of [0, 1]) {
      expect([...feeds.self[k]!.subarray(b * cacheLength * D, (b * cacheLength + r.position) * D)]).toEqual([...r.self[k]!.subarray(0, r.position * D)]);
      expect([...feeds.cross[k]!.subarray(b * sourceLength * D, (b * sourceLength + r.sourceLength) * D)]).toEqual([...r.cross[k]!]);
    }
  });
}

describe('CacheFeeds', () => {
  it('lays the rows out padded, then writes only the newest slot while the same rows step', () => {
    const feeds = new CacheFeeds(D, 2);
    const rows = [row(1), row(3, 2)];
    const first = feeds.fill(rows, 4, 4);
    expectRows(first, rows, 4, 4);
    const crossBefore = first.cross[0];
    for (const r of rows) r.position++; // the decoder appends each row's newest slot
    const second = feeds.fill(rows, 4, 4);
    expect(second.cross[0]).toBe(crossBefore); // not copied again
    expectRows(second, rows, 4, 4);
    for (const r of rows) r.position++; // position 5 > 4 slots: laid out anew
    expectRows(feeds.fill(rows, 8, 4), rows, 8, 4);
    const other = [row(2), rows[1]!]; // another row: laid out anew
    other[1]!.position++;
    expectRows(feeds.fill(other, 8, 4), other, 8, 4);
  });
});
