/// <reference types="node" />
// Accuracy and CPU of the language identifiers on a parallel corpus's two languages (README
// "Language identification"). Run from the repository root:
//   npx tsx apps/worker/src/language-id/measure.ts /work/shared/data/en-es en es
// Sets: dev.tsv and test.gnomehelp.tsv, the first three words of each of their sentences, and the
// held-out UI strings of train.tsv (every 10th line, gettext, at most 3 words, left out of profiles.ts).
import { readFileSync } from 'node:fs';
import { detectLanguage } from './detect-language.ts';
import { francScores } from './franc-languages.ts';
import type { LanguageScore } from './naive-bayes.ts';

interface Sample {
  readonly text: string;
  readonly language: string;
}

type Identifier = (text: string, candidates: readonly string[]) => Promise<LanguageScore[]>;

const words = (text: string) => text.trim().split(/\s+/);

function samples(folder: string, languages: readonly string[]): Record<string, Sample[]> {
  const rows = (file: string) => readFileSync(`${folder}/${file}`, 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t'));
  const both = (pairs: string[][]) => languages.flatMap((language, c) => pairs.map((pair) => ({ text: pair[c]!, language })));
  const sentences = [...both(rows('dev.tsv')), ...both(rows('test.gnomehelp.tsv'))];
  const origins = readFileSync(`${folder}/train.origin`, 'utf8').split('\n');
  const ui = rows('train.tsv').filter((pair, i) => i % 10 === 0 && origins[i] === 'gettext' && pair.every((t) => words(t).length <= 3) && pair[0]!.toLowerCase() !== pair[1]!.toLowerCase());
  return {
    'dev.tsv': both(rows('dev.tsv')),
    'test.gnomehelp.tsv': both(rows('test.gnomehelp.tsv')),
    '3-word prefixes': sentences.map((s) => ({ text: words(s.text).slice(0, 3).join(' '), language: s.language })),
    'UI strings <= 3 words': both(ui),
  };
}

async function report(name: string, identify: Identifier, sets: Record<string, Sample[]>, languages: readonly string[]): Promise<void> {
  const cells: string[] = [];
  for (const [set, items] of Object.entries(sets)) {
    for (const language of languages) {
      const mine = items.filter((s) => s.language === language);
      let right = 0;
      for (const s of mine) {
        const [best] = await identify(s.text, languages);
        if (best?.language === language && best.confidence > 0) right++;
      }
      cells.push(`${set} ${language} ${((100 * right) / mine.length).toFixed(1)}% (${mine.length})`);
    }
  }
  const timed = sets['test.gnomehelp.tsv']!;
  for (const s of timed.slice(0, 500)) await identify(s.text, languages); // warm up the JIT
  const started = performance.now();
  for (const s of timed) await identify(s.text, languages);
  console.log(`${name}: ${cells.join(' | ')} | ${((1000 * (performance.now() - started)) / timed.length).toFixed(1)} µs/call`);
}

const [folder = '/work/shared/data/en-es', ...languages] = process.argv.slice(2);
const pair = languages.length >= 2 ? languages : ['en', 'es'];
const sets = samples(folder, pair);
await report('naive Bayes (profiles.ts)', detectLanguage, sets, pair);
await report('franc-min', francScores, sets, pair);
