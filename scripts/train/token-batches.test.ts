import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SkipCounts, type Pair } from './parallel-corpus.ts';
import { type BatchRecord, type DataState, type Example, batchStream, cutBatches } from './token-batches.ts';

const dir = mkdtempSync(join(tmpdir(), 'attend-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
const lines = Array.from({ length: 300 }, (_, i) => `${words(1 + ((i * 7) % 23))}\t${words(1 + ((i * 5) % 19))}`);
const path = join(dir, 'train.tsv');
writeFileSync(path, lines.join('\n'));
const encode = (pair: Pair): Example => ({ source: pair.source.split(' ').map((w) => w.length), target: pair.target.split(' ').map((w) => w.length) });
const options = { maxTokens: 64, maxLength: 20, poolSize: 40, seed: 7 };

async function take(n: number, from?: DataState): Promise<BatchRecord[]> {
  const out: BatchRecord[] = [];
  const counters = { skips: new SkipCounts(), filtered: { tooLong: 0 } };
  for await (const b of batchStream([{ path }], encode, options, counters, from)) {
    out.push(b);
    if (out.length === n) break;
  }
  return out;
}

describe('token batches', () => {
  it('keeps every padded batch under the token budget and groups similar lengths', () => {
    const pool = lines.map((l) => encode({ source: l.split('\t')[0]!, target: l.split('\t')[1]! }));
    const batches = cutBatches(pool, 64);
    expect(batches.flat().length).toBe(pool.length);
    for (const batch of batches) {
      const widest = Math.max(...batch.map((e) => Math.max(e.source.length, e.target.length)));
      expect(widest * batch.length <= 64 || batch.length === 1).toBe(true);
    }
  });

  it('drops and counts pairs over the maximum length', async () => {
    const tooLong = lines.filter((l) => l.split('\t')[0]!.split(' ').length > 20).length;
    expect(tooLong).toBeGreaterThan(0);
    const counters = { skips: new SkipCounts(), filtered: { tooLong: 0 } };
    let seen = 0;
    // A pool of exactly the kept pairs reads the file once.
    for await (const b of batchStream([{ path }], encode, { ...options, poolSize: lines.length - tooLong }, counters)) {
      seen += b.examples.length;
      break;
    }
    expect(seen).toBeGreaterThan(0);
    expect(counters.filtered.tooLong).toBe(tooLong);
  });

  it('resumes from any recorded state with exactly the batches an uninterrupted run sees', async () => {
    const straight = await take(30);
    for (const k of [1, 4, 11, 17]) {
      const resumed = await take(30 - k, straight[k - 1]!.state);
      expect(resumed.map((b) => b.examples)).toEqual(straight.slice(k).map((b) => b.examples));
    }
  });
});
