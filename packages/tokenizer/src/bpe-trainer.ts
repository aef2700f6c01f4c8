// Byte-pair encoding (Sennrich et al. 2016, "Neural Machine Translation of Rare Words with Subword
// Units"), trained the way HF's BpeTrainer and SentencePiece do it:
//   1) count Metaspace words over all lines (both languages feed one table)
//   2) alphabet: the most frequent characters covering `characterCoverage` of all character
//      occurrences; rarer characters are left to the byte-fallback tokens
//   3) repeatedly merge the most frequent adjacent pair, updating pair counts incrementally: only the
//      words that contain the merged pair are touched (pair -> words index), and a lazy max-heap
//      finds the next pair, so a merge costs O(occurrences), never a rescan of the table.
import { PairHeap } from './pair-heap.ts';
import { MAX_PAIR_ID } from './pair-ranks.ts';
import { preTokenize } from './pre-tokenize.ts';
import { Tokenizer } from './tokenizer.ts';
import type { BpeVocabulary } from './tokenizer-json.ts';
import { FIRST_LEARNED_ID, looksLikeByteToken, reservedTokens } from './vocabulary.ts';

export interface TrainOptions {
  readonly vocabSize: number; // every id: 3 specials + 256 bytes + alphabet + merges
  readonly minFrequency?: number; // a pair seen fewer times is never merged (so the vocabulary may end smaller)
  readonly characterCoverage?: number; // SentencePiece's character_coverage
}

const DEFAULTS = {
  minFrequency: 2, // a merge seen once only memorises one word
  characterCoverage: 0.9995, // SentencePiece's default: about 1 character in 2,000 goes to bytes
};

const BARRIER = -1; // a character outside the alphabet: byte tokens, never merged

/** Trains a joint BPE vocabulary on lines of text (pass both sides of a parallel corpus). */
export async function trainBpe(lines: Iterable<string> | AsyncIterable<string>, options: TrainOptions): Promise<Tokenizer> {
  return new Tokenizer(await learnBpe(lines, options));
}

export async function learnBpe(lines: Iterable<string> | AsyncIterable<string>, options: TrainOptions): Promise<BpeVocabulary> {
  const { vocabSize } = options;
  const minFrequency = options.minFrequency ?? DEFAULTS.minFrequency;
  const characterCoverage = options.characterCoverage ?? DEFAULTS.characterCoverage;
  if (!Number.isInteger(vocabSize) || vocabSize <= FIRST_LEARNED_ID || vocabSize > MAX_PAIR_ID + 1) {
    throw new Error(`vocabSize must be an integer in (${FIRST_LEARNED_ID}, ${MAX_PAIR_ID + 1}] (3 specials + 256 bytes come first), got ${vocabSize}`);
  }
  if (!(characterCoverage > 0 && characterCoverage <= 1)) {
    throw new Error(`characterCoverage must be in (0, 1], got ${characterCoverage}`);
  }
  const wordCounts = await countWords(lines);
  if (wordCounts.size === 0) throw new Error('trainBpe got no text: pass at least one non-empty line');
  const alphabet = chooseAlphabet(wordCounts, characterCoverage);
  const tokens = [...reservedTokens(), ...alphabet];
  if (tokens.length > vocabSize) {
    throw new Error(
      `vocabSize ${vocabSize} is smaller than the ${tokens.length} specials, bytes and characters: raise vocabSize or lower characterCoverage`,
    );
  }
  const merges = learnMerges(wordCounts, tokens, vocabSize, Math.max(1, minFrequency));
  return { tokens, merges };
}

async function countWords(lines: Iterable<string> | AsyncIterable<string>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const onWord = (word: string): void => {
    counts.set(word, (counts.get(word) ?? 0) + 1);
  };
  const onSpecial = (): void => {};
  if (Symbol.asyncIterator in lines) {
    for await (const line of lines) preTokenize(line, onWord, onSpecial);
  } else {
    for (const line of lines) preTokenize(line, onWord, onSpecial);
  }
  return counts;
}

/** Characters by falling frequency (then code point) until `coverage` of all occurrences is reached. */
function chooseAlphabet(wordCounts: Map<string, number>, coverage: number): string[] {
  const charCounts = new Map<string, number>();
  let total = 0;
  for (const [word, count] of wordCounts) {
    for (const char of word) {
      charCounts.set(char, (charCounts.get(char) ?? 0) + count);
      total += count;
    }
  }
  const byFrequency = [...charCounts].sort(
    ([x, nx], [y, ny]) => ny - nx || (x.codePointAt(0) as number) - (y.codePointAt(0) as number),
  );
  const alphabet: string[] = [];
  let covered = 0;
  for (const [char, count] of byFrequency) {
    if (covered >= coverage * total) break;
    alphabet.push(char);
    covered += count;
  }
  return alphabet;
}

/** Appends merged tokens to `tokens` (in place) until it holds vocabSize entries; returns the merges in rank order. */
function learnMerges(wordCounts: Map<string, number>, tokens: string[], vocabSize: number, minFrequency: number): [string, string][] {
  const ids = new Map(tokens.map((token, id) => [token, id]));
  const width = vocabSize; // pair key = left * width + right: one number, exact while ids < width
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [word, count] of wordCounts) {
    if (word.length < 2) continue;
    words.push(Array.from(word, (char) => ids.get(char) ?? BARRIER));
    freqs.push(count);
  }

  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, number[]>(); // may hold stale words; a visit finds nothing to merge
  const grown = new Set<number>();
  const addPair = (key: number, delta: number, word: number): void => {
    const count = (pairCounts.get(key) ?? 0) + delta;
    if (count > 0) pairCounts.set(key, count);
    else pairCounts.delete(key);
    if (delta <= 0) return;
    grown.add(key);
    const list = pairWords.get(key);
    if (list === undefined) pairWords.set(key, [word]);
    else if (list[list.length - 1] !== word) list.push(word);
  };

  words.forEach((symbols, w) => {
    for (let i = 0; i + 1 < symbols.length; i++) {
      const left = symbols[i] as number;
      const right = symbols[i + 1] as number;
      if (left !== BARRIER && right !== BARRIER) addPair(left * width + right, freqs[w] as number, w);
    }
  });
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);

  const merges: [string, string][] = [];
  const visited = new Int32Array(words.length).fill(-1);
  while (tokens.length < vocabSize && heap.size > 0) {
    const [count, key] = heap.pop();
    const live = pairCounts.get(key) ?? 0;
    if (live !== count) {
      if (live > 0) heap.push(live, key);
      continue;
    }
    if (count < minFrequency) break;
    const a = Math.floor(key / width);
    const b = key % width;
    const merged = (tokens[a] as string) + (tokens[b] as string);
    let id = ids.get(merged);
    if (looksLikeByteToken(merged) || (id !== undefined && id < FIRST_LEARNED_ID)) {
      pairCounts.delete(key);
      continue;
    }
    if (id === undefined) {
      id = tokens.length;
      tokens.push(merged);
      ids.set(merged, id);
    }
    merges.push([tokens[a] as string, tokens[b] as string]);

    // Replace each (a, b) by the new id; its neighbours p and n lose (p, a) and (b, n) and gain
    // (p, id) and (id, n). Left to right, so `a b a b` correctly ends as one (id, id) pair.
    grown.clear();
    for (const w of pairWords.get(key) ?? []) {
      if (visited[w] === merges.length) continue;
      visited[w] = merges.length;
      const symbols = words[w] as number[];
      const freq = freqs[w] as number;
      for (let i = 0; i + 1 < symbols.length; i++) {
        if (symbols[i] !== a || symbols[i + 1] !== b) continue;
        const prev = i > 0 ? (symbols[i - 1] as number) : BARRIER;
        const next = i + 2 < symbols.length ? (symbols[i + 2] as number) : BARRIER;
        if (prev !== BARRIER) {
          addPair(prev * width + a, -freq, w);
          addPair(prev * width + id, freq, w);
        }
        if (next !== BARRIER) {
          addPair(b * width + next, -freq, w);
          addPair(id * width + next, freq, w);
        }
        symbols.splice(i, 2, id);
      }
    }
    pairCounts.delete(key);
    pairWords.delete(key);
    for (const grownKey of grown) {
      const grownCount = pairCounts.get(grownKey);
      if (grownCount !== undefined) heap.push(grownCount, grownKey);
    }
  }
  return merges;
}
