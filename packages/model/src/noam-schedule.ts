// lrate = d_model^-0.5 · min(step^-0.5, step · warmup_steps^-1.5)   (Vaswani et al. 2017, §5.3)
// Linear warmup for `warmup` steps, then decay with the inverse square root of the step number.

export interface NoamOptions {
  readonly dModel: number;
  readonly warmup: number; // paper: 4000
  readonly factor?: number; // multiplies the whole schedule (annotated-transformer's "factor"); default 1
}

/** The paper's form; step counts from 1 (step 0 is treated as 1, so the first update is not lr 0). */
export function noamLr(step: number, { dModel, warmup, factor = 1 }: NoamOptions): number {
  const s = Math.max(step, 1);
  return factor * dModel ** -0.5 * Math.min(s ** -0.5, s * warmup ** -1.5);
}

export interface PeakLrOptions {
  readonly peak: number; // the rate reached at step = warmup
  readonly warmup: number;
}

/**
 * The same shape parameterised by its peak: lr = peak · min(step / warmup, sqrt(warmup / step)).
 * Equals noamLr with peak = factor · (dModel · warmup)^-0.5; easier to tune since the peak is explicit.
 */
export function peakLr(step: number, { peak, warmup }: PeakLrOptions): number {
  const s = Math.max(step, 1);
  return peak * Math.min(s / warmup, Math.sqrt(warmup / s));
}
