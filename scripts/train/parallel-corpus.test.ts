import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mixCorpora } from './corpus-mix.ts';
import { type CorpusPosition, type PairRecord, SkipCounts, readCorpus } from './parallel-corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'attend-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function collect(iter: AsyncIterable<PairRecord>, limit = Infinity): Promise<PairRecord[]> {
  const out: PairRecord[] = [];
  for await (const r of iter) {
    out.push(r);
    if (out.length >= limit) break;
  }
  return out;
}

describe('readCorpus', () => {
  it('skips and counts malformed TSV lines instead of failing', async () => {
    const bad = new Uint8Array([0x66, 0xff, 0x09, 0x67, 0x0a]); // "f\xFF\tg\n": invalid UTF-8
    const path = file('mixed.tsv', Buffer.concat([Buffer.from('hello\thola\r\none column\n\ta\nb\t \nx\ty\tz\n\n'), bad, Buffer.from('last\túltimo')]));
    const skips = new SkipCounts();
    const pairs = (await collect(readCorpus({ path }, skips))).map((r) => r.pair);
    expect(pairs).toEqual([
      { source: 'hello', target: 'hola' },
      { source: 'last', target: 'último' },
    ]);
    expect(skips.counts).toEqual({ columns: 2, empty: 2, utf8: 1, unpaired: 0 });
  });

  it('reads Moses-style file pairs and swaps TSV columns', async () => {
    const path = file('c.en', 'one\ntwo\nthree\n');
    const targetPath = file('c.es', 'uno\ndos\n');
    const skips = new SkipCounts();
    const pairs = (await collect(readCorpus({ path, targetPath }, skips))).map((r) => r.pair);
    expect(pairs).toEqual([
      { source: 'one', target: 'uno' },
      { source: 'two', target: 'dos' },
    ]);
    expect(skips.counts.unpaired).toBe(1);
    const swapped = await collect(readCorpus({ path: file('s.tsv', 'a\tb\n'), swap: true }, skips));
    expect(swapped[0]!.pair).toEqual({ source: 'b', target: 'a' });
  });

  it('resumes from a recorded position with exactly the remaining pairs', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `s${i}\tt${i}`).join('\n');
    const path = file('resume.tsv', lines);
    const all = await collect(readCorpus({ path }, new SkipCounts()));
    const at: CorpusPosition = all[19]!.position;
    const rest = await collect(readCorpus({ path }, new SkipCounts(), at));
    expect(rest.map((r) => r.pair)).toEqual(all.slice(20).map((r) => r.pair));
    expect(rest[0]!.position.line).toBe(21);
  });
});

describe('mixCorpora', () => {
  it('mixes corpora in proportion to their weights and cycles epochs', async () => {
    const a = file('a.tsv', 'a1\tA1\na2\tA2\n');
    const b = file('b.tsv', 'b1\tB1\n');
    const skips = new SkipCounts();
    const drawn: number[] = [];
    let lastEpochs: number[] = [];
    for await (const p of mixCorpora([{ path: a, weight: 3 }, { path: b, weight: 1 }], skips)) {
      drawn.push(p.corpus);
      lastEpochs = p.mix.corpora.map((c) => c.epoch);
      if (drawn.length === 40) break;
    }
    expect(drawn.filter((c) => c === 0).length).toBe(30);
    expect(lastEpochs).toEqual([14, 9]);
  });

  it('fails clearly when a corpus has no usable pair', async () => {
    const empty = file('empty.tsv', 'only one column\n');
    const run = async () => {
      for await (const _ of mixCorpora([{ path: empty }], new SkipCounts())) break;
    };
    await expect(run()).rejects.toThrow(/has no usable sentence pairs/);
  });
});
