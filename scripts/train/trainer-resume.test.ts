// A run killed with SIGKILL at random moments, some of them during a checkpoint save, resumes from its
// last checkpoint and ends with bitwise the same weights and optimizer state as an uninterrupted run.
// Exact replay holds because every update reseeds the dropout generator from (seed, step), the data
// position and counters are in the checkpoint, and libtorch runs on one thread.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random.ts';
import { stepFolder } from './checkpoints.ts';
import { syntheticPairs, writeTsv } from './synthetic-task.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const STEPS = 40;

function writeConfig(dir: string, name: string, corpus: string, dev: string): string {
  const config = {
    source: 'en',
    target: 'es',
    corpora: [{ path: corpus }],
    dev: { path: dev },
    outDir: join(dir, name),
    tokenizer: { vocabSize: 300 },
    model: { dModel: 32, heads: 2, dFF: 64, encoderLayers: 2, decoderLayers: 2, dropout: 0.1 },
    batch: { maxTokens: 128, poolSize: 200, maxLength: 12 },
    optim: { lr: 0.003, warmup: 10 },
    run: { maxSteps: STEPS, saveEvery: 1, validateEvery: 10, devSentences: 10, keepLast: 2, patience: 0, threads: 1, quiet: true },
  };
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startTrainer(config: string): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/train.ts'), '--config', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<Exit>((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
  return { child, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tempEntries = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('.tmp-step-')) : []);

/** Resolves when `ready()` holds, polling every millisecond, or when the child exits first. */
async function waitFor(ready: () => boolean, exited: Promise<Exit>): Promise<boolean> {
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    if (ready()) return true;
    await sleep(1);
  }
  return false;
}

const finalFiles = (run: string) => {
  const folder = join(run, 'checkpoints', stepFolder(STEPS));
  return [`weights-${STEPS}.safetensors`, `optimizer-${STEPS}.safetensors`].map((f) => readFileSync(join(folder, f)));
};

const validations = (run: string) =>
  readFileSync(join(run, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"valid"'))
    .map((l) => {
      const { time: _time, seconds: _seconds, ...figures } = JSON.parse(l) as Record<string, unknown>;
      return figures;
    });

describe('trainer resume', () => {
  it('survives SIGKILL at random moments, during saves too, and ends bitwise equal to an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attend-resume-'));
    // Malformed lines and over-long pairs among the good ones: their counts must survive the kills too.
    const pairs = syntheticPairs(600, { seed: 3, reverse: true });
    const longPairs = syntheticPairs(30, { seed: 5, minLength: 14, maxLength: 16 });
    const corpus = join(dir, 'train.tsv');
    const malformed: [string, string][] = [['three\tcolumns', 'here'], ['', 'empty source']];
    writeTsv(corpus, pairs.flatMap((pair, i) => (i % 20 === 0 ? [pair, longPairs[i / 20]!, malformed[(i / 20) % 2]!] : [pair])));
    const dev = writeTsv(join(dir, 'dev.tsv'), syntheticPairs(10, { seed: 4, reverse: true }));

    const straight = await startTrainer(writeConfig(dir, 'straight', corpus, dev)).exit;
    expect(straight.stderr).not.toContain('resuming');
    expect(straight.code).toBe(0);
    const straightSummary = JSON.parse(straight.stdout.trim().split('\n').pop()!);
    expect(straightSummary).toMatchObject({ steps: STEPS, resumedFrom: null });
    expect(straightSummary.filtered.tooLong).toBeGreaterThan(0);
    expect(straightSummary.skipped.columns * straightSummary.skipped.empty).toBeGreaterThan(0);

    const config = writeConfig(dir, 'killed', corpus, dev);
    const checkpoints = join(dir, 'killed', 'checkpoints');
    // Kill k waits for checkpoint targets[k], then kills as soon as a save is under way (even k) or at a
    // random moment (odd k). Target 0: the first save of all, before any checkpoint exists.
    const random = mulberry32(11);
    const targets = [0, 8, 16, 24, 32].map((t) => (t === 0 ? 0 : t + Math.floor(random() * 4)));
    const latestStep = () => (existsSync(join(checkpoints, 'latest')) ? Number(/\d+/.exec(readFileSync(join(checkpoints, 'latest'), 'utf8'))![0]) : 0);
    let killsDuringSave = 0;
    for (const [k, target] of targets.entries()) {
      const { child, exit } = startTrainer(config);
      const armed = await waitFor(() => latestStep() >= target && (k % 2 === 1 || tempEntries(checkpoints).length > 0), exit);
      expect(armed).toBe(true);
      if (k % 2 === 1) await sleep(random() * 30);
      child.kill('SIGKILL');
      await exit;
      if (tempEntries(checkpoints).length > 0) killsDuringSave++; // a half-written checkpoint was left behind
    }
    const last = await startTrainer(config).exit;
    expect(killsDuringSave).toBeGreaterThanOrEqual(1);
    expect(last.code).toBe(0);
    expect(Number(/resuming from step (\d+)/.exec(last.stderr)?.[1])).toBeGreaterThanOrEqual(targets[4]!);
    expect(tempEntries(checkpoints)).toEqual([]);
    const { skipped, filtered, targetTokens, epoch } = straightSummary;
    expect(JSON.parse(last.stdout.trim().split('\n').pop()!)).toMatchObject({ steps: STEPS, skipped, filtered, targetTokens, epoch });

    const [weights, optimizer] = finalFiles(join(dir, 'killed'));
    const [straightWeights, straightOptimizer] = finalFiles(join(dir, 'straight'));
    expect(weights!.equals(straightWeights!)).toBe(true);
    expect(optimizer!.equals(straightOptimizer!)).toBe(true);
    expect(validations(join(dir, 'killed'))).toEqual(validations(join(dir, 'straight')));
    rmSync(dir, { recursive: true, force: true });
  }, 600_000);
});
