// `npm run calibrate:confidence -- --model models/en-es-tiny --test ../shared/data/en-es/dev.tsv [--reverse] [--limit N]`
// Chooses the confidence below which the web page and the CLI mark a word as doubtful: translates the
// test set greedily with the int8 model (onnxruntime-web on one thread, as the worker runs it), scores
// each word of the output as the API does (protocol's DeltaLogprobs and wordConfidences), labels it
// doubtful when the reference does not contain it, and prints how well each statistic separates the
// two (ROC AUC) and precision / recall at each threshold. The last stdout line is a JSON summary.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SkipCounts, readCorpus } from './train/parallel-corpus.ts';
import { scoredOutputs } from './confidence/scored-outputs.ts';
import { bareWord, referenceWords, type ScoredWord, scoredWords } from './confidence/scored-words.ts';
import { bestCut, cutAt, type Point, rocAuc } from './confidence/threshold-sweep.ts';
import { loadTranslator, type Translator } from './translate.ts';

const USAGE = 'usage: npm run calibrate:confidence -- --model DIR --test FILE.tsv [--reverse] [--limit N] [--batch N]';
const STATISTICS = ['probability', 'geometricMean', 'min'] as const;

interface Labelled extends ScoredWord {
  readonly doubtful: boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, test: { type: 'string' }, reverse: { type: 'boolean', default: false }, limit: { type: 'string' }, batch: { type: 'string', default: '16' } },
  });
  if (!values.model || !values.test) throw new Error(USAGE);
  const pairs = await readPairs(values.test, values.reverse, values.limit === undefined ? Infinity : Number(values.limit));
  const translator = await loadTranslator(values.model);
  const words = await labelledWords(translator, pairs, Number(values.batch));
  const report = STATISTICS.map((statistic) => {
    const points: Point[] = words.map((w) => ({ score: w[statistic], doubtful: w.doubtful }));
    const cuts = Array.from({ length: 19 }, (_, i) => cutAt(points, (i + 1) / 20));
    return { statistic, auc: rocAuc(points), best: bestCut(points, (c) => c.f05), cuts };
  });
  for (const { statistic, auc, best, cuts } of report) {
    process.stderr.write(`${statistic}: AUC ${auc.toFixed(3)}; best F0.5 ${best.f05.toFixed(3)} below ${best.threshold}\n`);
    for (const c of cuts) {
      const figures = `precision ${c.precision.toFixed(3)} recall ${c.recall.toFixed(3)} F1 ${c.f1.toFixed(3)} F0.5 ${c.f05.toFixed(3)} marks ${(100 * c.marked).toFixed(1)}%`;
      process.stderr.write(`  < ${c.threshold.toFixed(2)}: ${figures}\n`);
    }
  }
  const doubtful = words.filter((w) => w.doubtful).length;
  process.stdout.write(`${JSON.stringify({ model: values.model, test: values.test, sentences: pairs.length, words: words.length, absentFromReference: doubtful, report })}\n`);
}

async function readPairs(path: string, swap: boolean, limit: number): Promise<{ source: string; reference: string }[]> {
  const pairs: { source: string; reference: string }[] = [];
  for await (const { pair } of readCorpus({ path, swap }, new SkipCounts())) {
    if (pairs.length >= limit) break;
    pairs.push({ source: pair.source, reference: pair.target });
  }
  return pairs;
}

async function labelledWords(translator: Translator, pairs: readonly { source: string; reference: string }[], batch: number): Promise<Labelled[]> {
  const { tokenizer } = translator;
  const decode = (ids: number[]) => tokenizer.decode(ids);
  const words: Labelled[] = [];
  for (let start = 0; start < pairs.length; start += batch) {
    const rows = pairs.slice(start, start + batch);
    const outputs = await scoredOutputs(translator, rows.map((p) => tokenizer.encode(p.source, { addEos: true })), batch);
    for (const [k, output] of outputs.entries()) {
      const reference = referenceWords(rows[k]!.reference);
      for (const word of scoredWords(output, decode)) {
        const bare = bareWord(word.text);
        if (bare !== '') words.push({ ...word, doubtful: !reference.has(bare) });
      }
    }
    process.stderr.write(`\r${Math.min(start + batch, pairs.length)} / ${pairs.length}`);
  }
  process.stderr.write('\n');
  return words;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`calibrate-confidence: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
