// A finished training run small enough for a test: a few updates of a narrow 1 + 1 layer model on a
// synthetic reversal task, with a dev set, saving every step. For tests of the checkpoint consumers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from './run-summary.ts';
import { syntheticPairs, writeTsv } from './synthetic-task.ts';
import { resolveTrainConfig, type TrainConfig } from './train-config.ts';
import { train } from './trainer.ts';

export interface TinyRun {
  readonly dir: string;
  readonly config: TrainConfig;
  readonly summary: RunSummary;
  readonly dev: readonly [string, string][];
}

export async function tinyRun(options: { steps?: number; average?: number; run?: Record<string, unknown>; optim?: Record<string, unknown>; signal?: AbortSignal } = {}): Promise<TinyRun> {
  const dir = mkdtempSync(join(tmpdir(), 'attend-tiny-run-'));
  const dev = syntheticPairs(8, { seed: 6, reverse: true });
  const config = resolveTrainConfig({
    source: 'en',
    target: 'es',
    corpora: [{ path: writeTsv(join(dir, 'train.tsv'), syntheticPairs(300, { seed: 5, reverse: true })) }],
    dev: { path: writeTsv(join(dir, 'dev.tsv'), dev) },
    outDir: join(dir, 'run'),
    tokenizer: { vocabSize: 300 },
    model: { dModel: 16, heads: 2, dFF: 32, encoderLayers: 1, decoderLayers: 1 },
    batch: { maxTokens: 128, poolSize: 100 },
    optim: { lr: 0.003, warmup: 4, ...options.optim },
    run: { maxSteps: options.steps ?? 6, saveEvery: 1, validateEvery: 3, keepLast: 3, average: options.average ?? 0, devSentences: 8, quiet: true, ...options.run },
  });
  const summary = await train(config, { log: () => {}, ...(options.signal ? { signal: options.signal } : {}) });
  return { dir, config, summary, dev };
}
