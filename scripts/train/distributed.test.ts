// Data-parallel training for real: `npm run train -- --nproc 2` starts two ranks that sum their gradients
// through libtorch's Gloo over loopback TCP. Two ranks with one micro-batch each must train exactly as one
// process accumulating two, survive a SIGKILL of either rank (resuming the same data order), and a rank
// that cannot reach the rendezvous store must fail within its timeout, naming the address.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../lib/free-port.ts';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { torch } from '@attend/torch';
import { stepFolder } from './checkpoints.ts';
import { syntheticPairs, writeTsv } from './synthetic-task.ts';
import { resolveTrainConfig } from './train-config.ts';
import type { RunSummary } from './run-summary.ts';
import { train } from './trainer.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const STEPS = 24;
const dir = mkdtempSync(join(tmpdir(), 'attend-distributed-'));
const corpus = writeTsv(join(dir, 'train.tsv'), syntheticPairs(600, { seed: 3, reverse: true }));
const dev = writeTsv(join(dir, 'dev.tsv'), syntheticPairs(10, { seed: 4, reverse: true }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The run's config with `accumulate` micro-batches per rank and update; dropout on, saving every step. */
function config(name: string, accumulate: number) {
  return {
    source: 'en',
    target: 'es',
    corpora: [{ path: corpus }],
    dev: { path: dev },
    outDir: join(dir, name),
    tokenizer: { vocabSize: 300 },
    model: { dModel: 32, heads: 2, dFF: 64, encoderLayers: 1, decoderLayers: 1, dropout: 0.1 },
    batch: { maxTokens: 128, poolSize: 200, maxLength: 12, accumulate },
    optim: { lr: 0.003, warmup: 10 },
    run: { maxSteps: STEPS, saveEvery: 1, validateEvery: 8, devSentences: 10, keepLast: 2, patience: 0, threads: 1, quiet: true },
  };
}

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startTrain(args: readonly string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/train.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, exit: new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr }))) };
}

function twoRanks(name: string, runConfig: object = config(name, 1)): ReturnType<typeof startTrain> & { pids: Promise<number[]> } {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(runConfig));
  const started = startTrain(['--config', path, '--nproc', '2']);
  // The launcher's first line: "train: rank 0 pid P0, rank 1 pid P1 of 2 ranks; ...".
  const pids = new Promise<number[]>((found) => {
    const look = (d: Buffer) => {
      const match = /rank 0 pid (\d+), rank 1 pid (\d+)/.exec(d.toString());
      if (match) found([Number(match[1]), Number(match[2])]);
    };
    started.child.stderr!.on('data', look);
  });
  return { ...started, pids };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const latestStep = (name: string) => {
  const pointer = join(dir, name, 'checkpoints', 'latest');
  return existsSync(pointer) ? Number(/\d+/.exec(readFileSync(pointer, 'utf8'))![0]) : 0;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every weight of the final checkpoint of a run. */
function finalWeights(name: string): number[][] {
  const file = join(dir, name, 'checkpoints', stepFolder(STEPS), `weights-${STEPS}.safetensors`);
  const { tensors } = torch.loadSafetensors(file);
  return Object.keys(tensors)
    .sort()
    .map((key) => {
      const values = tensors[key]!.toArray();
      tensors[key]!.dispose();
      return values;
    });
}

function maxDifference(a: number[][], b: number[][]): number {
  expect(a.map((t) => t.length)).toEqual(b.map((t) => t.length));
  return Math.max(...a.map((t, i) => t.reduce((m, v, j) => Math.max(m, Math.abs(v - b[i]![j]!)), 0)));
}

const summaryOf = (exit: Exit) => JSON.parse(exit.stdout.trim().split('\n').pop()!) as Record<string, unknown>;

describe('data-parallel training over c10d (npm run train -- --nproc 2)', () => {
  let single: RunSummary; // the reference: one process, two micro-batches per update
  beforeAll(async () => {
    single = await train(resolveTrainConfig(config('single', 2)), { log: () => {} });
  });

  it('trains two ranks of one micro-batch each exactly as one process accumulating two', async () => {
    const ranks = await twoRanks('ranks').exit;
    expect(ranks.code).toBe(0);
    const { steps, targetTokens, epoch, skipped } = single;
    expect(summaryOf(ranks)).toMatchObject({ steps, targetTokens, epoch, skipped });
    // Same micro-batches, same dropout masks, gradients summed in the same order: equal to float rounding.
    expect(maxDifference(finalWeights('ranks'), finalWeights('single'))).toBeLessThanOrEqual(1e-6);
    expect(ranks.stdout.trim().split('\n')).toHaveLength(1); // rank 0 alone prints the summary
  });

  it('stops every rank when one is killed, and resumes the same run with the same data order', async () => {
    for (const [victim, after] of [[1, 6], [0, 14]] as const) {
      const run = twoRanks('killed');
      const pids = await run.pids;
      while (latestStep('killed') < after) await sleep(5);
      process.kill(pids[victim]!, 'SIGKILL');
      const stopped = performance.now();
      const exit = await run.exit;
      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(`rank ${victim} (pid ${pids[victim]}) was killed by SIGKILL; stopping the other ranks`);
      expect(performance.now() - stopped).toBeLessThan(10_000);
      expect(pids.filter(alive)).toEqual([]);
    }
    const last = await twoRanks('killed').exit;
    expect(last.code).toBe(0);
    expect(Number(/resuming from step (\d+)/.exec(last.stderr)?.[1])).toBeGreaterThanOrEqual(14);
    const { targetTokens, skipped } = single;
    expect(summaryOf(last)).toMatchObject({ steps: STEPS, targetTokens, skipped });
    expect(maxDifference(finalWeights('killed'), finalWeights('single'))).toBeLessThanOrEqual(1e-6);
  });

  it('stops every rank after the current update and saves on Ctrl-C, even while batches come from memory', async () => {
    // A pool far larger than the corpus: after the first read, no update waits for a file, so a rank
    // that never yields to the event loop would not see the signal for thousands of updates.
    const base = config('interrupted', 1);
    const long = { ...base, batch: { ...base.batch, poolSize: 100_000 }, run: { ...base.run, maxSteps: 1_000_000, saveEvery: 1_000_000 } };
    const run = twoRanks('interrupted', long);
    await run.pids;
    const metrics = join(dir, 'interrupted', 'metrics.jsonl');
    while (!(existsSync(metrics) && readFileSync(metrics, 'utf8').includes('"kind":"train"'))) await sleep(20); // 100 updates done
    run.child.kill('SIGINT');
    const signalled = performance.now();
    const exit = await run.exit;
    expect(exit.code).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(10_000);
    const summary = summaryOf(exit);
    expect(summary.stoppedBy).toBe('interrupted');
    expect(latestStep('interrupted')).toBe(summary.steps);
  });

  it('fails within the connect timeout when the rendezvous store cannot be reached', async () => {
    const port = await freePort('127.0.0.1'); // nobody listens there
    const path = join(dir, 'alone.json');
    writeFileSync(path, JSON.stringify(config('alone', 1)));
    const started = performance.now();
    const args = ['--config', path, '--nnodes', '2', '--node-rank', '1', '--master-addr', '127.0.0.1', '--master-port', String(port), '--connect-timeout', '2'];
    const exit = await startTrain(args).exit;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(`train (rank 1): rank 1 cannot reach the rendezvous store at 127.0.0.1:${port} within 2 s`);
    expect(exit.stderr).toContain('rank 1 (pid');
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
