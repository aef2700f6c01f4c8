// Decoding speed of model folders against each other, as one user of the API sees it: each sentence
// alone (one row), greedy, on the serving graphs in onnxruntime-web's WASM on one thread, through the
// worker's scheduler, with each folder's repetition guard. Per model: the first token (encoder + first
// step) and the time per token after it (decoder steps). Rounds alternate the models' order and keep each
// model's fastest round (on a shared machine noise only adds time); ratios are to the first model.
//   npm run bench:models -- --models models/en-es-tiny,out/en-es-new [--test FILE.tsv] [--reverse]
//     [--sentences 150] [--rounds 3]
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeScheduled } from '../lib/scheduled-decoding.ts';
import { REPO_ROOT } from '../lib/wrangler.ts';
import { SkipCounts, readCorpus } from '../train/parallel-corpus.ts';
import { generationOptions, loadTranslator, type Translator } from '../translate.ts';
import { formatTable, round } from './serve-stats.ts';

/** One pass of a model over the sentences: sums over sentences. */
export interface SpeedRound {
  readonly firstTokenMs: number; // encoder + first decoder step, summed
  readonly laterMs: number; // every step after the first, summed
  readonly laterTokens: number; // tokens after each sentence's first
}

/** The round with the least total time, and its per-sentence and per-token costs. */
export function summarize(rounds: readonly SpeedRound[], sentences: number) {
  const best = rounds.reduce((a, b) => (b.firstTokenMs + b.laterMs < a.firstTokenMs + a.laterMs ? b : a));
  return { firstTokenMs: best.firstTokenMs / sentences, msPerLaterToken: best.laterMs / Math.max(1, best.laterTokens), tokens: best.laterTokens + sentences };
}

async function timeRound(translator: Translator, sources: readonly (readonly number[])[]): Promise<SpeedRound> {
  const { serving } = translator;
  if (!serving) throw new Error('the folder has no serving graphs (onnx/*_serving_quantized.onnx): export it again with `npm run export`');
  const options = generationOptions(translator);
  let firstTokenMs = 0;
  let laterMs = 0;
  let laterTokens = 0;
  for (const source of sources) {
    const started = performance.now();
    let first: number | undefined;
    await decodeScheduled(serving, [source], options, 1, (_, event) => {
      if (event.type === 'token' && first === undefined) first = performance.now();
      else if (event.type === 'token') laterTokens++;
    });
    const ended = performance.now();
    firstTokenMs += (first ?? ended) - started;
    laterMs += ended - (first ?? ended);
  }
  return { firstTokenMs, laterMs, laterTokens };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      test: { type: 'string', default: join(REPO_ROOT, '..', 'shared', 'data', 'en-es', 'dev.tsv') },
      reverse: { type: 'boolean', default: false },
      sentences: { type: 'string', default: '150' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const folders = values.models?.split(',').filter(Boolean) ?? [];
  if (folders.length < 2) throw new Error('--models A,B[,...] needs at least two model folders of the same direction (the first is the reference)');
  const sources: string[] = [];
  for await (const { pair } of readCorpus({ path: values.test, swap: values.reverse }, new SkipCounts())) {
    if (sources.length >= Number(values.sentences)) break;
    sources.push(pair.source);
  }
  const translators = await Promise.all(folders.map((folder) => loadTranslator(folder)));
  const encoded = translators.map((t) => sources.map((s) => t.tokenizer.encode(s, { addEos: true })));
  const rounds: SpeedRound[][] = folders.map(() => []);
  await timeRound(translators[0]!, encoded[0]!.slice(0, 5)); // warm the runtime
  for (let r = 0; r < Number(values.rounds); r++) {
    const order = folders.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) rounds[i]!.push(await timeRound(translators[i]!, encoded[i]!));
  }
  const results = folders.map((folder, i) => ({ folder, ...summarize(rounds[i]!, sources.length) }));
  const reference = results[0]!;
  const rows = results.flatMap((m) => [
    [`${m.folder}: first token`, `${round(m.firstTokenMs)} ms`, `x${round(m.firstTokenMs / reference.firstTokenMs)}`],
    [`${m.folder}: each later token`, `${round(m.msPerLaterToken)} ms`, `x${round(m.msPerLaterToken / reference.msPerLaterToken)} (${m.tokens} tokens)`],
  ] as const);
  process.stdout.write(`${sources.length} sentences alone, greedy, fastest of ${values.rounds} rounds\n${formatTable(rows)}\n${JSON.stringify(results)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:models: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
