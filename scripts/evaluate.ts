// `npm run evaluate -- --model DIR --test FILE.tsv [--beam N] [--fp32] [--reverse] [--out hyps.txt]`
// Translates the source column of a TSV test set with an exported model folder (int8 by default, fp32
// with --fp32) on onnxruntime-web, as the Worker runs it, and scores the output against the target
// column with sacreBLEU's BLEU and chrF. --reverse reads the file as target<TAB>source (e.g. an es->en
// model on an en-es file). The model folder's no_repeat_ngram_size applies, as in every runtime;
// --no-repeat-ngram N overrides it (0: off). The last line of stdout is a JSON object with the figures.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from '@attend/decoding';
import { scoreCorpus } from '@attend/metrics';
import { decodeScheduled } from './lib/scheduled-decoding.ts';
import { SkipCounts, readCorpus } from './train/parallel-corpus.ts';
import { generationOptions, loadTranslator, type Translator } from './translate.ts';

const USAGE = 'usage: npm run evaluate -- --model DIR --test FILE.tsv [--beam N] [--fp32] [--reverse] [--out hyps.txt] [--batch N] [--limit N] [--no-repeat-ngram N]';

export interface EvaluateArgs {
  readonly model: string;
  readonly test: string;
  readonly beam: number;
  readonly fp32: boolean;
  readonly reverse: boolean;
  readonly out: string | undefined;
  readonly batch: number; // sentences decoded together
  readonly limit: number | undefined; // only the first N pairs
  readonly noRepeatNgram: number | undefined; // token n-grams of this size never repeat (0: off; undefined: the model's setting)
}

export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      model: { type: 'string' },
      test: { type: 'string' },
      beam: { type: 'string' },
      fp32: { type: 'boolean', default: false },
      reverse: { type: 'boolean', default: false },
      out: { type: 'string' },
      batch: { type: 'string' },
      limit: { type: 'string' },
      'no-repeat-ngram': { type: 'string' },
    },
  });
  if (values.model === undefined) throw new Error(`--model DIR is required (a folder written by \`npm run export\`)\n${USAGE}`);
  if (values.test === undefined) throw new Error(`--test FILE.tsv is required (source<TAB>reference per line)\n${USAGE}`);
  return {
    model: values.model,
    test: values.test,
    beam: positiveInteger('--beam', values.beam ?? '1'),
    fp32: values.fp32,
    reverse: values.reverse,
    out: values.out,
    batch: positiveInteger('--batch', values.batch ?? '16'),
    limit: values.limit === undefined ? undefined : positiveInteger('--limit', values.limit),
    noRepeatNgram: values['no-repeat-ngram'] === undefined ? undefined : integer('--no-repeat-ngram', values['no-repeat-ngram'], 0),
  };
}

function positiveInteger(flag: string, text: string): number {
  return integer(flag, text, 1);
}

function integer(flag: string, text: string, min: 0 | 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${flag} must be a ${min === 0 ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * Translates every source, returned in input order. With serving graphs (int8), as the worker does:
 * `batch` sentences' rows at a time in its scheduler. Otherwise `batch` at a time on the Hugging Face
 * graphs, in order of length (less padding).
 */
export async function translateAll(
  translator: Translator,
  sources: readonly string[],
  options: { beam: number; batch: number; noRepeatNgram?: number | undefined },
): Promise<{ texts: string[]; outputTokens: number }> {
  const { model, tokenizer, serving } = translator;
  const encoded = sources.map((s) => tokenizer.encode(s, { addEos: true }));
  const generation = generationOptions(translator, { numBeams: options.beam, noRepeatNgramSize: options.noRepeatNgram ?? translator.noRepeatNgramSize });
  if (serving) {
    const translations = await decodeScheduled(serving, encoded, generation, options.batch * options.beam);
    return { texts: translations.map((t) => t.text), outputTokens: translations.reduce((sum, t) => sum + t.usage.outputTokens, 0) };
  }
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.length - encoded[b]!.length);
  const texts: string[] = new Array(sources.length);
  let outputTokens = 0;
  for (let start = 0; start < order.length; start += options.batch) {
    const rows = order.slice(start, start + options.batch);
    const result = await generate(
      model,
      rows.map((i) => encoded[i]!),
      generation,
    );
    result.translations.forEach((t, k) => (texts[rows[k]!] = t.text));
    outputTokens += result.usage.outputTokens;
  }
  return { texts, outputTokens };
}

export async function evaluateModel(args: EvaluateArgs) {
  const skips = new SkipCounts();
  const sources: string[] = [];
  const references: string[] = [];
  for await (const { pair } of readCorpus({ path: args.test, swap: args.reverse }, skips)) {
    if (args.limit !== undefined && sources.length >= args.limit) break;
    sources.push(pair.source);
    references.push(pair.target);
  }
  if (sources.length === 0) throw new Error(`${args.test} has no usable source<TAB>reference pairs (${skips.summary()})`);
  const translator = await loadTranslator(args.model, { fp32: args.fp32 });
  const started = performance.now();
  const { texts, outputTokens } = await translateAll(translator, sources, args);
  const seconds = (performance.now() - started) / 1000;
  if (args.out !== undefined) writeFileSync(args.out, texts.map((t) => `${t}\n`).join(''));
  const scores = scoreCorpus(texts, references);
  return {
    model: args.model,
    test: args.test,
    weights: args.fp32 ? 'fp32' : 'int8',
    beam: args.beam,
    noRepeatNgram: args.noRepeatNgram ?? translator.noRepeatNgramSize,
    sentences: sources.length,
    skipped: skips.total,
    bleu: scores.bleu.score,
    chrf: scores.chrf,
    signatures: scores.signatures,
    seconds,
    sentencesPerSecond: sources.length / seconds,
    outputTokens,
  };
}

async function main(): Promise<void> {
  const result = await evaluateModel(parseEvaluateArgs(process.argv.slice(2)));
  process.stderr.write(`${result.sentences} sentences, ${result.weights}, beam ${result.beam}, no-repeat-ngram ${result.noRepeatNgram}: BLEU ${result.bleu.toFixed(2)} chrF ${result.chrf.toFixed(2)} (${result.seconds.toFixed(1)} s)\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`evaluate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
