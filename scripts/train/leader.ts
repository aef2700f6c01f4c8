// What rank 0 alone does: the progress line, metrics.jsonl, validation on the dev set (early stopping,
// the best checkpoint), the checkpoints and the averaged checkpoint at the end. The other ranks wait
// meanwhile in their next collective.
import { join } from 'node:path';
import type { Transformer } from '@attend/model';
import type { Tokenizer } from '@attend/tokenizer';
import type { CheckpointEntry } from './checkpoints.ts';
import { EarlyStopping } from './early-stopping.ts';
import { MetricsLog } from './metrics-log.ts';
import { TrainingProgress } from './progress.ts';
import type { UpdateResult } from './accumulated-step.ts';
import { writeAverage } from './run-folder.ts';
import type { OpenedRun, RunFolder } from './run-setup.ts';
import type { RunState } from './run-state.ts';
import type { RunSummary } from './run-summary.ts';
import type { TrainConfig } from './train-config.ts';
import { type DevSet, type Validation, readDevSet, validate } from './validation.ts';

const LOG_EVERY = 100; // steps per metrics.jsonl training record

/** The part of the run state that the training loop holds (the leader adds early stopping and validation). */
export type LoopState = Pick<RunState, 'data' | 'countersAtPoolStart' | 'elapsedSeconds' | 'targetTokens'>;

export type LeaderSummary = Pick<RunSummary, 'best' | 'bestStep' | 'bestCheckpoint' | 'lastValidation' | 'lastCheckpoint' | 'averaged'>;

export class Leader {
  readonly stopping: EarlyStopping;
  readonly metrics: MetricsLog;
  #lastValidation: Validation | null;
  #lastSaved: CheckpointEntry | null;
  readonly #progress: TrainingProgress;
  readonly #window = { loss: 0, tokens: 0, since: performance.now() };

  private constructor(
    private readonly config: TrainConfig,
    private readonly model: Transformer,
    private readonly optimizer: OpenedRun['optimizer'],
    private readonly tokenizer: Tokenizer,
    private readonly folder: RunFolder,
    private readonly dev: DevSet | null,
    state: RunState,
    step: number,
  ) {
    this.stopping = new EarlyStopping(config.run.bestMetric, config.run.patience, state.stopping);
    this.#lastValidation = state.lastValidation;
    this.#lastSaved = folder.resumedFrom;
    this.metrics = new MetricsLog(join(config.outDir, 'metrics.jsonl'));
    this.metrics.truncateAfter(step); // drops what a killed process logged after its last checkpoint
    this.#progress = new TrainingProgress(config.run.maxSteps, { quiet: config.run.quiet });
    this.#progress.start(step);
  }

  static async open(config: TrainConfig, run: OpenedRun, folder: RunFolder, log: (m: string) => void): Promise<Leader> {
    const { devSentences } = config.run;
    const dev = config.dev ? await readDevSet(config.dev, run.tokenizer, devSentences, run.model.config.maxPositions) : null;
    if (!dev) log('no dev set given: no validation, no best checkpoint, no early stopping');
    return new Leader(config, run.model, run.optimizer, run.tokenizer, folder, dev, run.state, run.step);
  }

  /** The progress line after every update; a metrics.jsonl record every LOG_EVERY updates. */
  report(step: number, update: UpdateResult, figures: { epoch: number; lr: number; targetTokens: number }): void {
    const window = this.#window;
    window.loss += update.loss * update.targetTokens;
    window.tokens += update.targetTokens;
    const tokensPerSecond = window.tokens / ((performance.now() - window.since) / 1000);
    const loss = window.loss / window.tokens;
    this.#progress.update(step, { epoch: figures.epoch, loss, lr: figures.lr, tokensPerSecond });
    if (step % LOG_EVERY !== 0 && step !== this.config.run.maxSteps) return;
    this.metrics.append({ step, kind: 'train', ...figures, loss, tokensPerSecond, gradNorm: update.gradNorm ?? 0 });
    Object.assign(window, { loss: 0, tokens: 0, since: performance.now() });
  }

  /** Validates every validateEvery steps: whether the figure improved, and whether patience ran out. */
  validate(step: number): { improved: boolean; stop: boolean } {
    const { run, optim, batch } = this.config;
    if (!this.dev || step % run.validateEvery !== 0) return { improved: false, stop: false };
    const v = validate(this.model, this.dev, this.tokenizer, { smoothing: optim.labelSmoothing, maxTokens: batch.maxTokens });
    this.#lastValidation = v;
    const verdict = this.stopping.observe(step, run.bestMetric === 'loss' ? v.nll : v[run.bestMetric]);
    this.metrics.append({ step, kind: 'valid', ...v, best: this.stopping.state.best });
    this.#progress.print(`step ${step}: dev loss ${v.loss.toFixed(3)} ppl ${v.ppl.toFixed(2)} BLEU ${v.bleu.toFixed(2)} chrF ${v.chrf.toFixed(2)}${verdict.improved ? ' (best)' : ''}`);
    return verdict;
  }

  save(step: number, best: boolean, loop: LoopState): void {
    const extra: RunState = { ...loop, stopping: this.stopping.state, lastValidation: this.#lastValidation };
    const { store, files } = this.folder;
    this.#lastSaved = store.save({ step, model: this.model, optimizer: this.optimizer, extra: { run: extra }, files, best });
    store.prune(Math.max(this.config.run.keepLast, this.config.run.average));
  }

  /** Saves unless the last save was of this step (a run that ends between saves). */
  saveLast(step: number, loop: LoopState): void {
    if (this.#lastSaved?.step !== step) this.save(step, false, loop);
  }

  stopProgress(): void {
    this.#progress.stop();
  }

  /** Averages the last checkpoints when asked to; the leader's part of the summary. */
  finish(): LeaderSummary {
    const { average } = this.config.run;
    const { store, files } = this.folder;
    const averaged = average > 1 ? writeAverage(store, this.model, this.config.outDir, average, files) : null;
    const { best, bestStep } = this.stopping.state;
    const lastValidation = this.#lastValidation;
    return { best, bestStep, bestCheckpoint: store.best()?.path ?? null, lastValidation, lastCheckpoint: this.#lastSaved?.path ?? null, averaged };
  }
}
