// The end of a run in figures: the summary lines on stderr, the `summary` record of metrics.jsonl and
// the JSON object on the last line of stdout.
import type { SkipReason } from './parallel-corpus.ts';
import type { BestMetric } from './early-stopping.ts';
import type { Validation } from './validation.ts';

export type StopReason = 'maxSteps' | 'maxEpochs' | 'maxMinutes' | 'earlyStopping' | 'interrupted';

export interface RunSummary {
  readonly outDir: string;
  readonly steps: number;
  readonly resumedFrom: number | null;
  readonly stoppedBy: StopReason;
  readonly epoch: number; // epochs completed on the first corpus
  readonly seconds: number; // training time over every process of the run
  readonly wallSeconds: number; // this process, tokenizer and averaging included
  readonly targetTokens: number;
  readonly tokensPerSecond: number; // target tokens per second of data + updates in this process (no validation, saves)
  readonly bestMetric: BestMetric;
  readonly best: number | null;
  readonly bestStep: number | null;
  readonly bestCheckpoint: string | null;
  readonly lastValidation: Validation | null;
  readonly lastCheckpoint: string | null;
  readonly averaged: { readonly path: string; readonly steps: readonly number[] } | null;
  readonly skipped: Readonly<Record<SkipReason, number>>;
  readonly skippedTotal: number;
  readonly filtered: { readonly tooLong: number };
}

export function formatSummary(s: RunSummary): string[] {
  const minutes = (s.seconds / 60).toFixed(1);
  const lines = [
    `done: ${s.steps} steps (${s.stoppedBy}${s.resumedFrom !== null ? `, resumed from ${s.resumedFrom}` : ''}), epoch ${s.epoch}, ${minutes} min, ${Math.round(s.tokensPerSecond)} target tokens/s`,
    `data: ${s.targetTokens} target tokens; ${s.skippedTotal} lines skipped (columns ${s.skipped.columns}, empty ${s.skipped.empty}, utf8 ${s.skipped.utf8}, unpaired ${s.skipped.unpaired}); ${s.filtered.tooLong} pairs over maxLength`,
  ];
  if (s.lastValidation) {
    const v = s.lastValidation;
    lines.push(`last dev: loss ${v.loss.toFixed(3)} ppl ${v.ppl.toFixed(2)} BLEU ${v.bleu.toFixed(2)} chrF ${v.chrf.toFixed(2)}`);
    lines.push(`best dev ${s.bestMetric}: ${s.best?.toFixed(3)} at step ${s.bestStep} (${s.bestCheckpoint})`);
  }
  lines.push(`checkpoint: ${s.lastCheckpoint}${s.averaged ? `; averaged steps ${s.averaged.steps.join(', ')}: ${s.averaged.path}` : ''}`);
  return lines;
}
