// Synthetic parallel corpora for the trainer's tests: random letter sequences and their copy (or
// reversal), written as TSV. A model that learns the task reaches exact matches the test can count.
import { writeFileSync } from 'node:fs';
import { mulberry32 } from './random.ts';

const LETTERS = 'abcdefghijklmnop';

export function syntheticPairs(count: number, options: { seed: number; reverse?: boolean; minLength?: number; maxLength?: number }): [string, string][] {
  const random = mulberry32(options.seed);
  const min = options.minLength ?? 3;
  const max = options.maxLength ?? 8;
  return Array.from({ length: count }, () => {
    const words = Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => LETTERS[Math.floor(random() * LETTERS.length)]!);
    const target = options.reverse ? [...words].reverse() : words;
    return [words.join(' '), target.join(' ')];
  });
}

export function writeTsv(path: string, pairs: readonly [string, string][]): string {
  writeFileSync(path, pairs.map(([s, t]) => `${s}\t${t}\n`).join(''));
  return path;
}
