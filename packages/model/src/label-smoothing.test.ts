import { describe, expect, it } from 'vitest';
import { torch } from '@attend/torch';
import { labelSmoothedLoss } from './label-smoothing.ts';
import { ids } from './test-support.ts';

describe('label-smoothed cross-entropy', () => {
  // Three target positions over V = 3, the middle one padding (id 0):
  //   logits [1, 2, 3], target 2: log p = [-2.40761, -1.40761, -0.40761]
  //     (1 - 0.1)·0.40761 + (0.1/3)·(2.40761 + 1.40761 + 0.40761) = 0.50761
  //   logits [2, 0, -1], target 1: log p = [-0.16985, -2.16985, -3.16985]
  //     0.9·2.16985 + (0.1/3)·(0.16985 + 2.16985 + 3.16985) = 2.13651
  //   mean over the 2 non-pad targets: 1.32206
  const logits = () => torch.tensor([1, 2, 3, 0, 0, 0, 2, 0, -1], [1, 3, 3], 'float64');
  const targets = () => ids([[2, 0, 1]]);

  it('matches the hand-computed value, ignoring padding in the sum and the count', () => {
    torch.tidy(() => {
      const loss = labelSmoothedLoss(logits(), targets(), { smoothing: 0.1, padId: 0 });
      expect(loss.dim).toBe(0);
      expect(loss.item()).toBeCloseTo(1.3220593253, 9);
    });
  });

  it('is the plain negative log-likelihood without smoothing', () => {
    torch.tidy(() => {
      const single = torch.tensor([1, 2, 3], [1, 1, 3], 'float64');
      expect(labelSmoothedLoss(single, ids([[2]]), { smoothing: 0, padId: 0 }).item()).toBeCloseTo(0.4076059644, 9);
    });
  });

  it('sends no gradient to padded positions', () => {
    torch.tidy(() => {
      const x = logits();
      x.requiresGrad = true;
      labelSmoothedLoss(x, targets(), { smoothing: 0.1, padId: 0 }).backward();
      const grad = (x.grad as NonNullable<typeof x.grad>).toArray();
      expect(grad.slice(3, 6)).toEqual([0, 0, 0]);
      expect(Math.abs(grad[0] as number)).toBeGreaterThan(0);
    });
  });

  it('rejects a smoothing outside [0, 1)', () => {
    torch.tidy(() => {
      expect(() => labelSmoothedLoss(logits(), targets(), { smoothing: 1, padId: 0 })).toThrow(/smoothing/);
    });
  });
});
