// The training loop of `npm run train`: data -> accumulated updates on the noam schedule -> validation,
// best/last-K checkpoints, early stopping -> checkpoint averaging at the end. Every checkpoint holds the
// whole run state, and every update reseeds the dropout generator from (seed, step), so a run resumed
// from a checkpoint replays exactly the updates the killed run would have made.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { torch } from '@attend/torch';
import { Transformer, loadCheckpoint, peakLr } from '@attend/model';
import { resolveConfig, type TransformerConfig } from '@attend/model-spec';
import { TOKENIZER_CONFIG_FILE, TOKENIZER_FILE } from '@attend/tokenizer/files';
import { accumulatedUpdate } from './accumulated-step.ts';
import { CheckpointStore, type CheckpointEntry } from './checkpoints.ts';
import { EarlyStopping } from './early-stopping.ts';
import { MetricsLog } from './metrics-log.ts';
import { SkipCounts } from './parallel-corpus.ts';
import { TrainingProgress } from './progress.ts';
import { FRESH_RUN, type Counters, type RunState, runStateFromExtra } from './run-state.ts';
import { type RunSummary, type StopReason, formatSummary } from './run-summary.ts';
import { batchStream, type Example, type FilterCounts } from './token-batches.ts';
import { RESOLVED_CONFIG_FILE, clearRun, writeAverage } from './run-folder.ts';
import { prepareTokenizer } from './tokenizer-setup.ts';
import type { TrainConfig } from './train-config.ts';
import { readDevSet, validate } from './validation.ts';

const LOG_EVERY = 100; // steps per metrics.jsonl training record

export interface TrainOptions {
  readonly fresh?: boolean; // start over even if outDir holds checkpoints
  readonly log?: (message: string) => void; // notices on stderr
  readonly signal?: AbortSignal; // stop after the current update, save, summarise
}

/** The model shape a training config asks for, given the tokenizer's vocabulary. */
export function transformerConfig(config: TrainConfig, vocabSize: number): TransformerConfig {
  const { preset, ...overrides } = config.model;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return resolveConfig({ ...defined, vocabSize }, preset);
}

export async function train(config: TrainConfig, options: TrainOptions = {}): Promise<RunSummary> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const started = performance.now();
  torch.setNumThreads(config.run.threads);
  mkdirSync(config.outDir, { recursive: true });
  if (options.fresh) clearRun(config.outDir);
  const store = new CheckpointStore(config.outDir);
  const resumeFrom = store.recover();

  const presetPositions = resolveConfig({}, config.model.preset).maxPositions;
  const { tokenizer, origin, trainPairs } = await prepareTokenizer(config, presetPositions);
  if (origin === 'trained') log(`trained a ${tokenizer.vocabSize}-token BPE vocabulary on ${trainPairs} pairs`);
  const modelConfig = transformerConfig(config, tokenizer.vocabSize);
  const resolvedPath = join(config.outDir, RESOLVED_CONFIG_FILE);
  writeFileSync(resolvedPath, `${JSON.stringify({ ...config, transformer: modelConfig }, null, 2)}\n`);
  const runFiles = [resolvedPath, join(config.outDir, TOKENIZER_FILE), join(config.outDir, TOKENIZER_CONFIG_FILE)];

  const model = new Transformer(modelConfig, { seed: config.run.seed });
  const { optim } = config;
  const optimizer = new torch.optim.Adam(model.trainableParameters(), {
    lr: optim.lr,
    betas: [optim.betas[0], optim.betas[1]],
    eps: optim.eps,
    weightDecay: optim.weightDecay,
    decoupledWeightDecay: optim.weightDecay > 0,
  });
  const metrics = new MetricsLog(join(config.outDir, 'metrics.jsonl'));
  let state: RunState = FRESH_RUN;
  let step = 0;
  if (resumeFrom) {
    try {
      state = runStateFromExtra(loadCheckpoint(resumeFrom.path, model, optimizer).extra);
    } catch (error) {
      throw new Error(`cannot resume from ${resumeFrom.path}: ${(error as Error).message}. Pass --fresh to start over (it deletes the checkpoints)`);
    }
    step = resumeFrom.step;
    log(`resuming from step ${step} (${resumeFrom.path}); pass --fresh to start over`);
  }
  metrics.truncateAfter(step); // drops what a killed process logged after its last checkpoint

  const dev = config.dev ? await readDevSet(config.dev, tokenizer, config.run.devSentences, modelConfig.maxPositions) : null;
  if (!dev) log('no dev set given: no validation, no best checkpoint, no early stopping');
  const counters = { skips: new SkipCounts(), filtered: { ...state.countersAtPoolStart.filtered } as FilterCounts };
  Object.assign(counters.skips.counts, state.countersAtPoolStart.skipped);
  let countersAtPoolStart: Counters = state.countersAtPoolStart;
  const encode = (pair: { source: string; target: string }): Example => ({ source: tokenizer.encode(pair.source), target: tokenizer.encode(pair.target) });
  const { batch, run } = config;
  const batches = batchStream(config.corpora, encode, { maxTokens: batch.maxTokens, maxLength: batch.maxLength, poolSize: batch.poolSize, seed: run.seed }, counters, state.data ?? undefined);

  const stopping = new EarlyStopping(run.bestMetric, run.patience, state.stopping);
  const progress = new TrainingProgress(run.maxSteps, { quiet: run.quiet });
  const processStart = performance.now();
  const { elapsedSeconds: elapsedBefore, targetTokens: tokensBefore } = state;
  let targetTokens = tokensBefore;
  let epoch = state.data?.epoch ?? 0;
  let lastValidation = state.lastValidation;
  let lastSaved: CheckpointEntry | null = resumeFrom;
  let stopReason: StopReason = 'maxSteps';
  const window = { loss: 0, tokens: 0, since: performance.now(), gradNorm: 0 };
  let updateSeconds = 0; // data and updates only: validation and saves excluded
  const elapsed = () => elapsedBefore + (performance.now() - processStart) / 1000;

  const save = (best: boolean) => {
    const extra: RunState = { data: state.data, countersAtPoolStart, stopping: stopping.state, lastValidation, elapsedSeconds: elapsed(), targetTokens };
    lastSaved = store.save({ step, model, optimizer, extra: { run: extra }, files: runFiles, best });
    store.prune(Math.max(run.keepLast, run.average));
    return lastSaved;
  };

  // A run that had already stopped early (and was killed before it finished) stays stopped.
  if (run.patience > 0 && stopping.state.badValidations >= run.patience) stopReason = 'earlyStopping';
  progress.start(step);
  try {
    while (step < run.maxSteps && stopReason === 'maxSteps') {
      if (options.signal?.aborted) {
        stopReason = 'interrupted';
        break;
      }
      const updateStart = performance.now();
      const micro: Example[][] = [];
      for (let i = 0; i < batch.accumulate; i++) {
        const next = await batches.next();
        if (next.done) throw new Error('the batch stream ended: corpora cycle forever, so this is a bug');
        micro.push([...next.value.examples]);
        // The last batch of a pool: the next pool starts here, with the counters as they now stand.
        if (next.value.state.batchesDone === 0) countersAtPoolStart = { skipped: { ...counters.skips.counts }, filtered: { ...counters.filtered } };
        state = { ...state, data: next.value.state };
      }
      step++;
      torch.manualSeed(run.seed * 1_000_003 + step); // dropout masks depend on (seed, step) only
      const lr = optim.warmup === 0 ? optim.lr : peakLr(step, { peak: optim.lr, warmup: optim.warmup });
      const update = accumulatedUpdate(model, optimizer, micro, { lr, smoothing: optim.labelSmoothing, clip: optim.clip });
      updateSeconds += (performance.now() - updateStart) / 1000;
      targetTokens += update.targetTokens;
      epoch = state.data?.epoch ?? 0;
      window.loss += update.loss * update.targetTokens;
      window.tokens += update.targetTokens;
      window.gradNorm = update.gradNorm ?? 0;
      const tokensPerSecond = window.tokens / ((performance.now() - window.since) / 1000);
      progress.update(step, { epoch, loss: window.loss / window.tokens, lr, tokensPerSecond });
      if (step % LOG_EVERY === 0 || step === run.maxSteps) {
        metrics.append({ step, kind: 'train', epoch, loss: window.loss / window.tokens, lr, tokensPerSecond, gradNorm: window.gradNorm, targetTokens });
        Object.assign(window, { loss: 0, tokens: 0, since: performance.now() });
      }

      let improved = false;
      if (dev && step % run.validateEvery === 0) {
        const v = validate(model, dev, tokenizer, { smoothing: optim.labelSmoothing, maxTokens: batch.maxTokens });
        lastValidation = v;
        const verdict = stopping.observe(step, run.bestMetric === 'loss' ? v.nll : v[run.bestMetric]);
        improved = verdict.improved;
        metrics.append({ step, kind: 'valid', ...v, best: stopping.state.best });
        progress.print(`step ${step}: dev loss ${v.loss.toFixed(3)} ppl ${v.ppl.toFixed(2)} BLEU ${v.bleu.toFixed(2)} chrF ${v.chrf.toFixed(2)}${improved ? ' (best)' : ''}`);
        if (verdict.stop) stopReason = 'earlyStopping';
      }
      if (run.maxEpochs !== undefined && epoch >= run.maxEpochs) stopReason = 'maxEpochs';
      if (run.maxMinutes !== undefined && elapsed() >= run.maxMinutes * 60) stopReason = 'maxMinutes';
      const stopNow = stopReason !== 'maxSteps';
      if (step % run.saveEvery === 0 || improved || stopNow || step === run.maxSteps) save(improved);
      if (stopNow) break;
    }
    if (lastSaved === null || lastSaved.step !== step) save(false);
  } finally {
    progress.stop();
    await batches.return(undefined);
  }

  const averaged = run.average > 1 ? writeAverage(store, model, config.outDir, run.average, runFiles) : null;
  const trainSeconds = elapsed();
  const best = store.best();
  const summary: RunSummary = {
    outDir: config.outDir,
    steps: step,
    resumedFrom: resumeFrom?.step ?? null,
    stoppedBy: stopReason,
    epoch,
    seconds: trainSeconds,
    wallSeconds: (performance.now() - started) / 1000,
    targetTokens,
    tokensPerSecond: updateSeconds > 0 ? (targetTokens - tokensBefore) / updateSeconds : 0,
    bestMetric: run.bestMetric,
    best: stopping.state.best,
    bestStep: stopping.state.bestStep,
    bestCheckpoint: best?.path ?? null,
    lastValidation,
    lastCheckpoint: (lastSaved as CheckpointEntry | null)?.path ?? null,
    averaged,
    skipped: { ...counters.skips.counts },
    skippedTotal: counters.skips.total,
    filtered: { ...counters.filtered },
  };
  model.dispose();
  metrics.append({ step, kind: 'summary', ...summary });
  for (const line of formatSummary(summary)) log(line);
  return summary;
}
