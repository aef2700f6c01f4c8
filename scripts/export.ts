// `npm run export -- --checkpoint DIR [--average N] --out MODEL_DIR [--id ID] [--no-repeat-ngram N]`
// Turns a training checkpoint (or the mean of the newest N) into the model folder of DESIGN.md: Marian
// config.json with the resolved training config in "translator.training", the tokenizer, int8 and fp32
// ONNX graphs, manifest.json. DIR is a run's outDir (its latest checkpoint), its checkpoints/ folder, a
// step folder, or averaged/. The last line of stdout is a JSON object with the figures.
// `npm run export -- --from-model MODEL_DIR --out MODEL_DIR2` re-exports a model folder from its int8
// files instead (its checkpoint gone, or written by an older int8 scheme): same weights, same config
// and tokenizer, graphs and manifest written anew.
// --no-repeat-ngram N (default 3, 0: off) goes into config.json and generation_config.json as
// no_repeat_ngram_size: every runtime that loads the folder (worker, scripts, transformers.js) never
// repeats a token n-gram of that size (on dev.tsv: outputs repeating a word trigram 2.7% -> 0.1%).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MODEL_FILES, type TranslatorInfo, fromMarianConfig } from '@attend/model-spec';
import { exportModel, weightsFromInt8 } from '@attend/onnx';
import { TOKENIZER_CONFIG_FILE, TOKENIZER_FILE } from '@attend/tokenizer/files';
import { averageCheckpoints } from './train/checkpoint-average.ts';
import { CheckpointStore, readCheckpointFolder } from './train/checkpoints.ts';
import { RESOLVED_CONFIG_FILE } from './train/run-folder.ts';
import type { RunState } from './train/run-state.ts';

const USAGE = 'usage: npm run export -- (--checkpoint DIR [--average N] | --from-model MODEL_DIR) --out MODEL_DIR [--id ID] [--int8-only] [--no-repeat-ngram N (default 3, 0: off)]';

export interface ExportArgs {
  readonly checkpoint?: string;
  readonly fromModel?: string;
  readonly average: number;
  readonly out: string;
  readonly id: string;
  readonly int8Only: boolean; // leave out the fp32 graphs (parity checks only; the worker serves int8)
  readonly noRepeatNgram: number; // the folder's no_repeat_ngram_size (0: off)
}

export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      checkpoint: { type: 'string' },
      'from-model': { type: 'string' },
      average: { type: 'string' },
      out: { type: 'string' },
      id: { type: 'string' },
      'int8-only': { type: 'boolean', default: false },
      'no-repeat-ngram': { type: 'string' },
    },
  });
  const fromModel = values['from-model'];
  if ((values.checkpoint === undefined) === (fromModel === undefined)) {
    throw new Error(`give one of --checkpoint DIR (a run folder or one of its checkpoints) or --from-model MODEL_DIR\n${USAGE}`);
  }
  if (values.out === undefined) throw new Error(`--out MODEL_DIR is required (where the model folder is written)\n${USAGE}`);
  const average = Number(values.average ?? '1');
  if (!Number.isInteger(average) || average < 1) throw new Error(`--average must be a positive integer, got ${JSON.stringify(values.average)}`);
  if (fromModel !== undefined && values.average !== undefined) throw new Error('--average applies to --checkpoint only');
  const noRepeatNgram = Number(values['no-repeat-ngram'] ?? '3');
  if (!Number.isInteger(noRepeatNgram) || noRepeatNgram < 0) {
    throw new Error(`--no-repeat-ngram must be a non-negative integer (0 turns the guard off), got ${JSON.stringify(values['no-repeat-ngram'])}`);
  }
  const id = values.id ?? basename(resolve(values.out));
  return { checkpoint: values.checkpoint, fromModel, average, out: values.out, id, int8Only: values['int8-only'], noRepeatNgram };
}

/** The checkpoint folders to export, oldest first: one, or the newest `average` of the run. */
export function checkpointFolders(dir: string, average: number): string[] {
  const isCheckpoint = existsSync(join(dir, 'state.json'));
  if (isCheckpoint && average === 1) return [dir];
  if (isCheckpoint && !/^step-\d+$/.test(basename(resolve(dir)))) throw new Error(`--average ${average} needs the run folder or a step folder; ${dir} is already a single checkpoint (e.g. averaged/)`);
  const runDir = isCheckpoint ? dirname(dirname(dir)) : existsSync(join(dir, 'checkpoints')) ? dir : existsSync(join(dir, 'latest')) ? dirname(dir) : null;
  if (runDir === null) throw new Error(`${dir} is neither a checkpoint folder nor a run folder: pass the training outDir or one of its checkpoints/step-* folders`);
  const store = new CheckpointStore(runDir);
  const last = isCheckpoint ? readCheckpointFolder(dir).step : store.latest()?.step;
  if (last === undefined) throw new Error(`${dir} has no saved checkpoint yet (no checkpoints/latest)`);
  const folders = store.list().filter((e) => e.step <= last).slice(-average).map((e) => e.path);
  if (folders.length < average) throw new Error(`--average ${average}: ${runDir} keeps only ${folders.length} checkpoints up to step ${last}; lower --average or raise run.keepLast`);
  return folders;
}

/** Runs the export the arguments ask for: from a checkpoint or from a model folder's int8 files. */
export function runExport(args: ExportArgs) {
  return args.fromModel !== undefined ? exportFromModel(args, args.fromModel) : exportCheckpoint(args, args.checkpoint as string);
}

async function exportCheckpoint(args: ExportArgs, checkpoint: string) {
  const folders = checkpointFolders(checkpoint, args.average);
  const newest = folders[folders.length - 1]!;
  const readJson = (name: string) => {
    const path = join(newest, name);
    if (!existsSync(path)) throw new Error(`${path} is missing: export checkpoints written by \`npm run train\``);
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  };
  const training = readJson(RESOLVED_CONFIG_FILE) as { source: string; target: string };
  const state = readCheckpointFolder(newest);
  const { config, weights, steps } = averageCheckpoints(folders);
  const run = state.extra.run as RunState | undefined;
  const v = folders.length === 1 ? run?.lastValidation : null;
  const metrics = v ? { 'dev.loss': v.loss, 'dev.ppl': v.ppl, 'dev.bleu': v.bleu, 'dev.chrf': v.chrf } : undefined;
  const averagedSteps = (state.extra.averagedSteps as number[] | undefined) ?? (steps.length > 1 ? steps : undefined);
  const manifest = await exportModel({
    config,
    weights,
    tokenizerJson: readJson(TOKENIZER_FILE),
    tokenizerConfig: readJson(TOKENIZER_CONFIG_FILE),
    outDir: args.out,
    id: args.id,
    source: training.source,
    target: training.target,
    keepFp32: !args.int8Only,
    noRepeatNgramSize: args.noRepeatNgram,
    translatorInfo: {
      training: { config: training, step: state.step, ...(averagedSteps ? { averagedSteps } : {}), targetTokens: run?.targetTokens, seconds: run?.elapsedSeconds },
      ...(metrics ? { metrics } : {}),
    },
  });
  return { out: args.out, id: args.id, step: state.step, checkpoints: folders, ...sizes(manifest.files) };
}

/** Re-exports a model folder from its int8 graphs, keeping its config.json translator block and tokenizer. */
async function exportFromModel(args: ExportArgs, fromModel: string) {
  const read = (path: string) => {
    const full = join(fromModel, path);
    if (!existsSync(full)) throw new Error(`${full} is missing: --from-model takes a model folder with int8 graphs (npm run export wrote it)`);
    return readFileSync(full);
  };
  const json = (path: string) => JSON.parse(read(path).toString('utf8')) as Record<string, unknown>;
  const marian = json(MODEL_FILES.config);
  const config = fromMarianConfig(marian);
  const weights = weightsFromInt8(config, [read(MODEL_FILES.encoderQuantized), read(MODEL_FILES.decoderQuantized)]);
  const { source, target, training, metrics } = marian.translator as Omit<TranslatorInfo, 'norm'>;
  const manifest = await exportModel({
    config,
    weights,
    tokenizerJson: json(MODEL_FILES.tokenizer),
    tokenizerConfig: json(MODEL_FILES.tokenizerConfig),
    outDir: args.out,
    id: args.id,
    source,
    target,
    keepFp32: !args.int8Only,
    noRepeatNgramSize: args.noRepeatNgram,
    translatorInfo: { ...(training ? { training } : {}), ...(metrics ? { metrics } : {}) },
  });
  return { out: args.out, id: args.id, from: fromModel, ...sizes(manifest.files) };
}

function sizes(files: readonly { path: string; size: number }[]) {
  const bytes = (test: (path: string) => boolean) => files.filter((f) => test(f.path)).reduce((n, f) => n + f.size, 0);
  return {
    int8Bytes: bytes((p) => p.endsWith('_quantized.onnx')),
    fp32Bytes: bytes((p) => p.endsWith('.onnx') && !p.endsWith('_quantized.onnx')),
    files: files.length,
  };
}

async function main(): Promise<void> {
  const result = await runExport(parseExportArgs(process.argv.slice(2)));
  const from = 'step' in result ? `step ${result.step} (${result.checkpoints.length} checkpoint(s))` : `the int8 files of ${result.from}`;
  process.stderr.write(`exported ${from} to ${result.out}: int8 ${(result.int8Bytes / 1e6).toFixed(1)} MB, fp32 ${(result.fp32Bytes / 1e6).toFixed(1)} MB\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`export: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
