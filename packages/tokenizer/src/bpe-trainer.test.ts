import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { learnBpe, trainBpe } from './bpe-trainer.ts';
import { preTokenize } from './pre-tokenize.ts';
import { FIRST_LEARNED_ID, looksLikeByteToken } from './vocabulary.ts';

const DEV = readFileSync(new URL('../../../../shared/data/en-es/dev.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .flatMap((line) => line.split('\t'));

// The textbook algorithm: recount every pair of every word before each merge. The trainer must learn
// exactly the same merges with its incremental counts (same tie rule: higher count, then lower ids).
function referenceMerges(lines: string[], alphabet: string[], vocabSize: number, minFrequency: number): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) preTokenize(line, (w) => counts.set(w, (counts.get(w) ?? 0) + 1), () => {});
  const tokens = [...alphabet];
  const ids = new Map(tokens.map((t, i) => [t, i]));
  const idOf = (t: string): number => ids.get(t) as number;
  type Pair = { a: string; b: string; count: number };
  const before = (x: Pair, y: Pair): boolean =>
    x.count > y.count || (x.count === y.count && (idOf(x.a) < idOf(y.a) || (x.a === y.a && idOf(x.b) < idOf(y.b))));
  const words = [...counts].map(([word, count]) => ({ symbols: Array.from(word, (c) => (ids.has(c) ? c : null)), count }));
  const merges: string[] = [];
  const forbidden = new Set<string>();
  while (FIRST_LEARNED_ID + tokens.length < vocabSize) {
    const pairs = new Map<string, Pair>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const [a, b] = [symbols[i], symbols[i + 1]];
        if (a == null || b == null || forbidden.has(`${a}\u0000${b}`)) continue;
        const key = `${a}\u0000${b}`;
        pairs.set(key, { a, b, count: (pairs.get(key)?.count ?? 0) + count });
      }
    }
    let best: Pair | undefined;
    for (const pair of pairs.values()) if (best === undefined || before(pair, best)) best = pair;
    if (best === undefined || best.count < minFrequency) break;
    if (looksLikeByteToken(best.a + best.b)) {
      forbidden.add(`${best.a}\u0000${best.b}`);
      continue;
    }
    if (!ids.has(best.a + best.b)) ids.set(best.a + best.b, tokens.push(best.a + best.b) - 1);
    merges.push(`${best.a} ${best.b}`);
    for (const word of words) {
      const out: (string | null)[] = [];
      for (let i = 0; i < word.symbols.length; i++) {
        if (word.symbols[i] === best.a && word.symbols[i + 1] === best.b) out.push(best.a + best.b), i++;
        else out.push(word.symbols[i] ?? null);
      }
      word.symbols = out;
    }
  }
  return merges;
}

describe('trainBpe', () => {
  it.each([
    { coverage: 1, vocabSize: 500 },
    { coverage: 0.99, vocabSize: 550 }, // rare characters split words into unmergeable runs
  ])('learns the same merges as a full recount per merge (coverage $coverage)', async ({ coverage, vocabSize }) => {
    const lines = DEV.slice(0, 500);
    const learned = await learnBpe(lines, { vocabSize, characterCoverage: coverage, minFrequency: 2 });
    const alphabet = learned.tokens.slice(FIRST_LEARNED_ID, FIRST_LEARNED_ID + learned.tokens.length - FIRST_LEARNED_ID - learned.merges.length);
    expect(learned.merges.map(([a, b]) => `${a} ${b}`)).toEqual(referenceMerges(lines, alphabet, vocabSize, 2));
    expect(learned.tokens).toHaveLength(vocabSize);
  });

  it('keeps the most frequent characters up to the coverage and leaves the rest to bytes', async () => {
    const lines = ['aaaa bbbb aaaa bbbb ñ'];
    const tokenizer = await trainBpe(lines, { vocabSize: 300, characterCoverage: 0.95 });
    expect(tokenizer.tokenToId('a')).toBeDefined();
    expect(tokenizer.tokenToId('ñ')).toBeUndefined();
    const ids = tokenizer.encode('ñ', { addEos: false });
    expect(ids.map((id) => tokenizer.idToToken(id))).toEqual(['▁', '<0xC3>', '<0xB1>']);
    expect(tokenizer.decode(ids)).toBe('ñ');
  });

  it('stops below minFrequency, so the vocabulary can end smaller than asked', async () => {
    const tokenizer = await trainBpe(['ab ab cd'], { vocabSize: 1000, minFrequency: 2, characterCoverage: 1 });
    // alphabet ▁ a b c d, then ▁+a and ▁a+b (twice each); (▁,c) and (c,d) were seen once.
    expect(tokenizer.vocabSize).toBe(FIRST_LEARNED_ID + 5 + 2);
    expect(tokenizer.toJSON().model.merges).toEqual([['▁', 'a'], ['▁a', 'b']]);
  });

  it('accepts an async iterable and rejects impossible settings with what to change', async () => {
    async function* lines(): AsyncGenerator<string> {
      yield 'hola mundo';
      yield 'hello world';
    }
    const options = { vocabSize: 280, minFrequency: 1 };
    expect((await trainBpe(lines(), options)).toJSON()).toEqual((await trainBpe(['hola mundo', 'hello world'], options)).toJSON());
    await expect(trainBpe(['hola'], { vocabSize: 100 })).rejects.toThrow(/vocabSize must be an integer in \(259, 65535\]/);
    await expect(trainBpe(['hola'], { vocabSize: 70_000 })).rejects.toThrow(/vocabSize must be/);
    await expect(trainBpe(['abcdefghij'], { vocabSize: 262 })).rejects.toThrow(/raise vocabSize or lower characterCoverage/);
    await expect(trainBpe([''], { vocabSize: 300 })).rejects.toThrow(/no text/);
  });
});
