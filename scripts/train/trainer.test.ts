import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore } from './checkpoints.ts';
import { tinyRun } from './tiny-run.ts';
import { train } from './trainer.ts';

describe('trainer stopping rules', () => {
  it('stops early after `patience` validations without a better BLEU, keeping the best checkpoint', async () => {
    // A learning rate too small to change any greedy output: BLEU keeps its first value.
    const { dir, config, summary } = await tinyRun({ steps: 50, optim: { lr: 1e-12 }, run: { validateEvery: 1, saveEvery: 100, patience: 2, bestMetric: 'bleu', keepLast: 1 } });
    expect(summary).toMatchObject({ stoppedBy: 'earlyStopping', steps: 3, bestStep: 1 });
    const store = new CheckpointStore(config.outDir);
    expect(store.best()?.step).toBe(1);
    expect(store.list().map((e) => e.step)).toEqual([1, 3]);
    const records = readFileSync(join(config.outDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.filter((r) => r.kind === 'valid').map((r) => r.step)).toEqual([1, 2, 3]);
    expect(records.at(-1)).toMatchObject({ kind: 'summary', steps: 3 });
    // Run again (as after a kill before the end): it stays stopped instead of training on.
    const again = await train(config, { log: () => {} });
    expect(again).toMatchObject({ stoppedBy: 'earlyStopping', steps: 3, resumedFrom: 3 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops on the signal after the current update and saves that step', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const { dir, config, summary } = await tinyRun({ steps: 100_000, run: { saveEvery: 100_000, validateEvery: 100_000 }, signal: controller.signal });
    expect(summary.stoppedBy).toBe('interrupted');
    expect(summary.steps).toBeGreaterThan(0);
    expect(new CheckpointStore(config.outDir).latest()?.step).toBe(summary.steps);
    rmSync(dir, { recursive: true, force: true });
  });
});
