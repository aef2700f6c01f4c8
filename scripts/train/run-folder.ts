// Whole-run operations on outDir: starting over (--fresh) and writing the averaged checkpoint.
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { saveCheckpoint, type Transformer } from '@attend/model';
import { TOKENIZER_CONFIG_FILE, TOKENIZER_FILE } from '@attend/tokenizer/files';
import { averageCheckpoints } from './checkpoint-average.ts';
import type { CheckpointStore } from './checkpoints.ts';

export const AVERAGED_FOLDER = 'averaged';
export const RESOLVED_CONFIG_FILE = 'config.resolved.json';
const RUN_OUTPUTS = ['checkpoints', AVERAGED_FOLDER, 'metrics.jsonl', RESOLVED_CONFIG_FILE, TOKENIZER_FILE, TOKENIZER_CONFIG_FILE];

/** Deletes what a run wrote into outDir, and only that: outDir may hold the operator's own files. */
export function clearRun(outDir: string): void {
  for (const name of RUN_OUTPUTS) rmSync(join(outDir, name), { recursive: true, force: true });
}

/**
 * outDir/averaged/: a checkpoint folder (no optimizer state) with the mean weights of the newest `count`
 * checkpoints, loaded into `model` on the way. Written under a temp name, then renamed.
 */
export function writeAverage(store: CheckpointStore, model: Transformer, outDir: string, count: number, files: readonly string[]): { path: string; steps: readonly number[] } {
  const folders = store.list().slice(-count).map((e) => e.path);
  const { weights, steps } = averageCheckpoints(folders);
  model.loadWeights(weights);
  const path = join(outDir, AVERAGED_FOLDER);
  const temp = `${path}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  saveCheckpoint(temp, { model, step: steps[steps.length - 1] ?? 0, extra: { averagedSteps: steps } });
  for (const file of files) copyFileSync(file, join(temp, basename(file)));
  if (existsSync(path)) rmSync(path, { recursive: true, force: true });
  renameSync(temp, path);
  return { path, steps };
}
