// The named steps of the training loop (trainer.ts runs them in order), on every rank. The state they
// share: the step, the data position (StepBatches), the clock and token counts of the run, and why it
// stops. Rank 0's own duties (progress, metrics, validation, checkpoints) are the Leader's.
import { cooldownFactor, peakLr } from '@attend/model';
import { type UpdateResult, accumulatedUpdate } from './accumulated-step.ts';
import type { Leader, LoopState } from './leader.ts';
import { microBatchSeed } from './random.ts';
import type { Ranks } from './ranks.ts';
import type { OpenedRun } from './run-setup.ts';
import type { RunSummary, StopReason } from './run-summary.ts';
import { StepBatches, type StepShare } from './step-batches.ts';
import type { TrainConfig } from './train-config.ts';

export class TrainingLoop {
  #step: number;
  #stopReason: StopReason = 'maxSteps';
  readonly #data: StepBatches;
  readonly #started = performance.now();
  readonly #elapsedBefore: number; // training seconds of the earlier processes of this run
  readonly #tokensBefore: number;
  #targetTokens: number;
  #updateSeconds = 0; // data and updates only: validation and saves excluded

  constructor(
    private readonly config: TrainConfig,
    private readonly run: OpenedRun,
    private readonly ranks: Ranks,
    private readonly leader: Leader | null,
  ) {
    this.#step = run.step;
    this.#data = new StepBatches(config, run.tokenizer, run.state, ranks);
    this.#elapsedBefore = run.state.elapsedSeconds;
    this.#tokensBefore = this.#targetTokens = run.state.targetTokens;
    // A run that had already stopped early (and was killed before it finished) stays stopped.
    const { patience } = config.run;
    if (patience > 0 && run.state.stopping.badValidations >= patience) this.#stopReason = 'earlyStopping';
  }

  get step(): number {
    return this.#step;
  }

  get goesOn(): boolean {
    return this.#stopReason === 'maxSteps' && this.#step < this.config.run.maxSteps;
  }

  /** Reads the next global batch and trains on this rank's micro-batches of it (see accumulated-step.ts). */
  async update(): Promise<UpdateResult> {
    // An update awaits only promises that are already settled while the batch pool is full, so without
    // this turn of the event loop Ctrl-C, SIGTERM and timers would wait for the next file read.
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const share: StepShare = await this.#data.next();
    this.#step++;
    const { seed } = this.config.run;
    const step = this.#step;
    const update = accumulatedUpdate(this.run.model, this.run.optimizer, share, this.ranks, {
      lr: this.lr(),
      smoothing: this.config.optim.labelSmoothing,
      clip: this.config.optim.clip,
      seedOf: (micro) => microBatchSeed(seed, step, micro),
    });
    this.#updateSeconds += (performance.now() - started) / 1000;
    this.#targetTokens += update.targetTokens;
    return update;
  }

  /** The progress line and metrics.jsonl (rank 0). */
  report(update: UpdateResult): void {
    this.leader?.report(this.#step, update, { epoch: this.#data.epoch, lr: this.lr(), targetTokens: this.#targetTokens });
  }

  /** Validation on the dev set when due (rank 0): whether it improved, and whether patience ran out. */
  validate(): { improved: boolean; stop: boolean } {
    return this.leader?.validate(this.#step) ?? { improved: false, stop: false };
  }

  /** Every rank stops on the same step: on an interrupt of any rank, a budget, or rank 0's early stopping. */
  decideStop(patienceRanOut: boolean, signal: AbortSignal | undefined): void {
    const { maxMinutes, maxEpochs } = this.config.run;
    let proposal: StopReason = 'maxSteps';
    if (patienceRanOut) proposal = 'earlyStopping';
    if (maxEpochs !== undefined && this.#data.epoch >= maxEpochs) proposal = 'maxEpochs';
    if (maxMinutes !== undefined && this.elapsed() >= maxMinutes * 60) proposal = 'maxMinutes';
    if (signal?.aborted) proposal = 'interrupted';
    this.#stopReason = this.ranks.agreeOnStop(proposal);
  }

  /** A checkpoint every saveEvery steps, at a new best, and at the end (rank 0). */
  save(improved: boolean): void {
    const due = this.#step % this.config.run.saveEvery === 0 || improved || !this.goesOn;
    if (due) this.leader?.save(this.#step, improved, this.state());
  }

  saveLast(): void {
    this.leader?.saveLast(this.#step, this.state());
  }

  async close(): Promise<void> {
    this.leader?.stopProgress();
    await this.#data.close();
  }

  /** Rank 0 averages the last checkpoints when asked to; the run in figures. */
  finish(wallStart: number): RunSummary {
    const counters = this.#data.counters;
    const leaderPart = this.leader?.finish() ?? { best: null, bestStep: null, bestCheckpoint: null, lastValidation: null, lastCheckpoint: null, averaged: null };
    return {
      outDir: this.config.outDir,
      steps: this.#step,
      resumedFrom: this.run.step > 0 ? this.run.step : null,
      stoppedBy: this.#stopReason,
      epoch: this.#data.epoch,
      seconds: this.elapsed(),
      wallSeconds: (performance.now() - wallStart) / 1000,
      targetTokens: this.#targetTokens,
      tokensPerSecond: this.#updateSeconds > 0 ? (this.#targetTokens - this.#tokensBefore) / this.#updateSeconds : 0,
      bestMetric: this.config.run.bestMetric,
      ...leaderPart,
      skipped: { ...counters.skips.counts },
      skippedTotal: counters.skips.total,
      filtered: { ...counters.filtered },
    };
  }

  private lr(): number {
    const { optim, run } = this.config;
    const scheduled = optim.warmup === 0 ? optim.lr : peakLr(this.#step, { peak: optim.lr, warmup: optim.warmup });
    return scheduled * cooldownFactor(this.#step, { end: run.maxSteps, steps: optim.cooldown });
  }

  private elapsed(): number {
    return this.#elapsedBefore + (performance.now() - this.#started) / 1000;
  }

  private state(): LoopState {
    return { data: this.#data.position, countersAtPoolStart: this.#data.countersAtPoolStart, elapsedSeconds: this.elapsed(), targetTokens: this.#targetTokens };
  }
}
