// Test doubles: a deterministic Seq2SeqModel and RowDecoder driven by a scripted next-token
// distribution, and a SentencePiece-like vocabulary with byte fallback. Used by the tests only.
import type { RowDecoder } from './row-decoder.ts';
import { logSoftmaxRows } from './scores.ts';
import type { Seq2SeqModel, StepOutput } from './seq2seq-model.ts';

/** p(next | source, generated prefix) for some tokens; the rest of the mass is spread evenly. */
export type NextTokens = (source: readonly number[], prefix: readonly number[]) => Readonly<Record<number, number>>;

export interface FakeMemory {
  readonly sources: readonly (readonly number[])[];
}
export interface FakeCache {
  readonly prefixes: readonly (readonly number[])[]; // every token fed so far, decoder start included
}

export class FakeModel implements Seq2SeqModel<FakeMemory, FakeCache> {
  readonly encoded: (readonly (readonly number[])[])[] = [];
  readonly steps: (readonly number[])[] = []; // the tokens fed at each step
  live = 0; // memories and caches created and not yet consumed or disposed
  onStep: (() => void) | undefined;

  constructor(
    readonly vocab: number,
    readonly next: NextTokens,
  ) {}

  async encode(inputIds: readonly (readonly number[])[]): Promise<FakeMemory> {
    this.encoded.push(inputIds);
    this.live++;
    return { sources: inputIds };
  }

  async step(memory: FakeMemory, tokens: readonly number[], cache: FakeCache | null): Promise<StepOutput<FakeCache>> {
    this.steps.push([...tokens]);
    this.onStep?.();
    if (tokens.length !== memory.sources.length) throw new Error(`batch ${tokens.length} != memory batch ${memory.sources.length}`);
    const prefixes = tokens.map((token, row) => [...(cache?.prefixes[row] ?? []), token]);
    const logits = new Float32Array(tokens.length * this.vocab);
    for (const [row, prefix] of prefixes.entries()) {
      logits.set(logProbabilities(this.vocab, this.next(memory.sources[row]!, prefix.slice(1))), row * this.vocab);
    }
    if (!cache) this.live++;
    return { logits, cache: { prefixes } };
  }

  async selectRows(memory: FakeMemory, cache: FakeCache | null, rows: readonly number[]) {
    return {
      memory: { sources: rows.map((row) => memory.sources[row]!) },
      cache: cache && { prefixes: rows.map((row) => cache.prefixes[row]!) },
    };
  }

  dispose(_memory: FakeMemory, cache: FakeCache | null): void {
    this.live -= cache ? 2 : 1;
  }
}

export interface FakeRow {
  readonly source: readonly number[];
  prefix: readonly number[]; // every token fed so far, decoder start included
}

/** The RowDecoder of the same scripted model: what each call got, and the rows not yet released. */
export class FakeRowDecoder implements RowDecoder<FakeRow> {
  readonly encoded: (readonly (readonly number[])[])[] = [];
  readonly steps: (readonly number[])[] = [];
  live = 0;
  /** Throws from step() when it returns true for the tokens fed. */
  failStep: ((tokens: readonly number[]) => boolean) | undefined;

  constructor(
    readonly vocab: number,
    readonly next: NextTokens,
  ) {}

  async encode(sources: readonly (readonly number[])[]): Promise<FakeRow[]> {
    this.encoded.push(sources);
    this.live += sources.length;
    return sources.map((source) => ({ source, prefix: [] }));
  }

  async step(rows: readonly FakeRow[], tokens: readonly number[]): Promise<Float64Array> {
    this.steps.push([...tokens]);
    if (this.failStep?.(tokens)) throw new Error('the runtime failed');
    const logits = new Float32Array(rows.length * this.vocab);
    rows.forEach((row, i) => {
      const prefix = [...row.prefix, tokens[i]!];
      logits.set(logProbabilities(this.vocab, this.next(row.source, prefix.slice(1))), i * this.vocab);
      row.prefix = prefix;
    });
    return logSoftmaxRows(logits, rows.length);
  }

  fork(row: FakeRow): FakeRow {
    this.live++;
    return { ...row };
  }

  release(): void {
    this.live--;
  }
}

/** Logits whose softmax is exactly `probabilities` on the given ids. */
export function logProbabilities(vocab: number, probabilities: Readonly<Record<number, number>>): Float32Array {
  const given = Object.entries(probabilities);
  const rest = Math.max(1e-9, 1 - given.reduce((sum, [, p]) => sum + p, 0)) / (vocab - given.length);
  const logits = new Float32Array(vocab).fill(Math.log(rest));
  for (const [id, p] of given) logits[Number(id)] = Math.log(p);
  return logits;
}

/** A pseudo-random but fixed distribution per (source, prefix): a tiny Markov model. */
export function markov(vocab: number, seed: number): NextTokens {
  return (source, prefix) => {
    let h = seed;
    for (const id of [...source, -1, ...prefix]) h = Math.imul(h ^ (id + 0x9e37), 0x85ebca6b) >>> 0;
    const probabilities: Record<number, number> = {};
    let mass = 0.9;
    for (let i = 0; i < 3; i++) {
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
      const id = 1 + (h % (vocab - 1));
      const p = mass * (0.3 + ((h >>> 8) % 50) / 100);
      probabilities[id] = (probabilities[id] ?? 0) + p;
      mass -= p;
    }
    return probabilities;
  };
}

/**
 * SentencePiece-like pieces: '▁' starts a word, '<0xNN>' is one UTF-8 byte (byte fallback). Ids
 * 0..2 are <pad>, </s>, <unk>; piece k has id k + 3.
 */
export function pieceDecoder(pieces: readonly string[]): (ids: number[]) => string {
  return (ids) => {
    const bytes: number[] = [];
    for (const id of ids) {
      const piece = pieces[id - 3];
      if (piece === undefined) continue; // special tokens decode to nothing
      const byte = /^<0x([0-9A-F]{2})>$/.exec(piece);
      if (byte) bytes.push(parseInt(byte[1]!, 16));
      else bytes.push(...new TextEncoder().encode(piece.replaceAll('▁', ' ')));
    }
    return new TextDecoder().decode(new Uint8Array(bytes)).replace(/^ /, '');
  };
}

/** The byte-fallback pieces of a string, e.g. 'é' -> ['<0xC3>', '<0xA9>']. */
export function bytePieces(text: string): string[] {
  return [...new TextEncoder().encode(text)].map((byte) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
}
