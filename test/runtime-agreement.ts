// How often the runtimes that load a model folder give the same greedy int8 translation, by source
// length: onnxruntime-web (the worker's) against onnxruntime-node on this CPU and against transformers.js.
// The tolerance of int8-runtimes.test.ts comes from these figures.
//   npx tsx test/runtime-agreement.ts --model models/en-es-tiny [--reverse] [--sentences 600]
//     [--test ../shared/data/en-es/dev.tsv]
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ourGreedy, transformersGreedy } from './runtimes.ts';

const LENGTHS = [[1, 8], [9, 15], [16, 25], [26, Number.POSITIVE_INFINITY]] as const; // source words

/** Percent of sources, overall and per length band, whose two translations are equal. */
export function agreementByLength(sources: readonly string[], a: readonly string[], b: readonly string[]): Record<string, string> {
  const words = sources.map((s) => s.split(/\s+/).filter(Boolean).length);
  const share = (indices: number[]) =>
    indices.length === 0 ? 'none' : `${((100 * indices.filter((i) => a[i] === b[i]).length) / indices.length).toFixed(1)}% of ${indices.length}`;
  const all = sources.map((_, i) => i);
  const bands = LENGTHS.map(([low, high]) => [`${low}${high === Number.POSITIVE_INFINITY ? '+' : `-${high}`} words`, share(all.filter((i) => words[i]! >= low && words[i]! <= high))]);
  return { all: share(all), ...Object.fromEntries(bands) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      test: { type: 'string', default: '../shared/data/en-es/dev.tsv' },
      reverse: { type: 'boolean', default: false },
      sentences: { type: 'string', default: '600' },
    },
  });
  if (values.model === undefined) throw new Error('--model DIR is required');
  const lines = (await readFile(values.test, 'utf8')).split('\n').filter(Boolean).slice(0, Number(values.sentences));
  const sources = lines.map((line) => line.split('\t')[values.reverse ? 1 : 0]!);
  const options = { int8: true, maxTokens: 64 };
  const web = await ourGreedy(values.model, 'web', sources, options);
  const native = await ourGreedy(values.model, 'node', sources, options);
  const hf = await transformersGreedy(values.model, sources, options);
  console.log(JSON.stringify({ model: values.model, webVsNode: agreementByLength(sources, web.texts, native.texts), webVsTransformersJs: agreementByLength(sources, web.texts, hf.texts) }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`runtime-agreement: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
