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

export interface CooldownOptions {
  readonly end: number; // the number of the run's last update
  readonly steps: number; // the last updates, over which the rate falls to 0; 0: no cooldown
}

/**
 * What multiplies the schedule at update number `step` (from 1) in a linear cooldown over the last
 * `steps` updates up to `end` (warmup-stable-decay; Hägele et al. 2024 find it matches a cosine schedule
 * and, unlike cosine, it can start from any point of a long run): 1 before the cooldown, then falling
 * in a straight line to 1/steps at the last update, so that no update is spent at rate 0.
 */
export function cooldownFactor(step: number, { end, steps }: CooldownOptions): number {
  return steps === 0 ? 1 : Math.min(1, Math.max(0, (end - step + 1) / steps));
}
