// A parallel corpus read as a stream of sentence pairs: TSV (`source<TAB>target`) or a Moses-style pair
// of files (`corpus.en`, `corpus.es`). Malformed lines are skipped and counted, never fatal.
import { type Line, readLines } from './line-reader.ts';

export interface CorpusSpec {
  /** TSV file, or the source-side file of a Moses pair. */
  readonly path: string;
  /** Target-side file of a Moses pair; absent for TSV. */
  readonly targetPath?: string;
  /** TSV only: swap the columns (a file laid out `target<TAB>source`). */
  readonly swap?: boolean;
  /** Relative share of this corpus in the training mix (OpenNMT-py style weights). */
  readonly weight?: number;
}

export interface Pair {
  readonly source: string;
  readonly target: string;
}

/** Where the reader stands: byte offsets after the last consumed line (one per file) and lines read. */
export interface CorpusPosition {
  readonly offsets: readonly number[];
  readonly line: number;
}

export type SkipReason = 'columns' | 'empty' | 'utf8' | 'unpaired';

export class SkipCounts {
  readonly counts: Record<SkipReason, number> = { columns: 0, empty: 0, utf8: 0, unpaired: 0 };
  add(reason: SkipReason): void {
    this.counts[reason]++;
  }
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  summary(): string {
    const c = this.counts;
    return `${this.total} skipped (wrong column count ${c.columns}, empty side ${c.empty}, invalid UTF-8 ${c.utf8}, unpaired ${c.unpaired})`;
  }
}

export interface PairRecord {
  readonly pair: Pair;
  readonly position: CorpusPosition; // position after this pair
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function checkSides(source: string, target: string, skips: SkipCounts): Pair | null {
  if (source.trim() === '' || target.trim() === '') {
    skips.add('empty');
    return null;
  }
  return { source: source.trim(), target: target.trim() };
}

/** Streams the pairs of one corpus once, from `from` (a position recorded earlier) to the end. */
export async function* readCorpus(spec: CorpusSpec, skips: SkipCounts, from?: CorpusPosition): AsyncGenerator<PairRecord> {
  let line = from?.line ?? 0;
  if (spec.targetPath === undefined) {
    for await (const l of readLines(spec.path, from?.offsets[0] ?? 0)) {
      line++;
      const pair = tsvPair(l, spec.swap === true, skips);
      if (pair) yield { pair, position: { offsets: [l.end], line } };
    }
    return;
  }
  const sources = readLines(spec.path, from?.offsets[0] ?? 0);
  const targets = readLines(spec.targetPath, from?.offsets[1] ?? 0);
  for (;;) {
    const [s, t] = await Promise.all([sources.next(), targets.next()]);
    if (s.done && t.done) return;
    line++;
    if (s.done || t.done) {
      // One file is longer than the other: the rest cannot be aligned.
      skips.add('unpaired');
      await Promise.all([sources.return(undefined), targets.return(undefined)]);
      return;
    }
    const source = decode(s.value.bytes);
    const target = decode(t.value.bytes);
    if (source === null || target === null) {
      skips.add('utf8');
      continue;
    }
    const pair = checkSides(source, target, skips);
    if (pair) yield { pair, position: { offsets: [s.value.end, t.value.end], line } };
  }
}

function tsvPair(line: Line, swap: boolean, skips: SkipCounts): Pair | null {
  const text = decode(line.bytes);
  if (text === null) {
    skips.add('utf8');
    return null;
  }
  const columns = text.split('\t');
  if (columns.length !== 2) {
    // A blank line is not data; anything else with the wrong shape is counted.
    if (text.trim() !== '') skips.add('columns');
    return null;
  }
  const [a, b] = columns as [string, string];
  return swap ? checkSides(b, a, skips) : checkSides(a, b, skips);
}
