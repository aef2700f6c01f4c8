import { describe, expect, it } from 'vitest';
import { cooldownFactor, noamLr, peakLr } from './noam-schedule.ts';

describe('noam schedule', () => {
  const opts = { dModel: 512, warmup: 4000 };

  it('warms up linearly, peaks at warmup, then decays as step^-0.5', () => {
    expect(noamLr(1, opts)).toBeCloseTo(512 ** -0.5 * 4000 ** -1.5, 15);
    expect(noamLr(2000, opts)).toBeCloseTo(noamLr(4000, opts) / 2, 12);
    expect(noamLr(4000, opts)).toBeCloseTo(6.987712429686844e-4, 15); // 512^-0.5 * 4000^-0.5, the paper's peak
    expect(noamLr(16000, opts)).toBeCloseTo(noamLr(4000, opts) / 2, 12);
    expect(noamLr(0, opts)).toBe(noamLr(1, opts));
    expect(noamLr(4000, { ...opts, factor: 2 })).toBeCloseTo(2 * noamLr(4000, opts), 15);
  });

  it('has a peak-lr form of the same shape', () => {
    expect(peakLr(4000, { peak: 1e-3, warmup: 4000 })).toBe(1e-3);
    expect(peakLr(1000, { peak: 1e-3, warmup: 4000 })).toBeCloseTo(2.5e-4, 15);
    expect(peakLr(16000, { peak: 1e-3, warmup: 4000 })).toBeCloseTo(5e-4, 15);
    const peak = (512 * 4000) ** -0.5;
    for (const step of [1, 100, 4000, 9999, 100000]) expect(peakLr(step, { peak, warmup: 4000 })).toBeCloseTo(noamLr(step, opts), 15);
  });

  it('cools down linearly over the last updates, the last one at 1/steps of the rate', () => {
    const cooldown = { end: 1000, steps: 200 };
    expect(cooldownFactor(1, cooldown)).toBe(1);
    expect(cooldownFactor(800, cooldown)).toBe(1);
    expect(cooldownFactor(801, cooldown)).toBe(1); // the first of the 200
    expect(cooldownFactor(901, cooldown)).toBe(0.5);
    expect(cooldownFactor(1000, cooldown)).toBe(0.005); // the last
    expect(cooldownFactor(1001, cooldown)).toBe(0);
    expect(cooldownFactor(1000, { end: 1000, steps: 0 })).toBe(1);
  });
});
