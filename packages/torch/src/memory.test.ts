import { describe, expect, it } from 'vitest';
import { torch } from './index.ts';

describe('deterministic memory', () => {
  it('frees on dispose, once, and refuses later use', () => {
    const before = torch.liveTensors();
    const t = torch.ones([4]);
    expect(torch.liveTensors()).toBe(before + 1);
    t.dispose();
    t.dispose();
    expect([t.disposed, torch.liveTensors()]).toEqual([true, before]);
    expect(() => t.add(1)).toThrow(/after dispose/);
  });

  it('tidy frees what fn created except what it returns or keeps', () => {
    const outside = torch.ones([2]);
    const before = torch.liveTensors();
    let kept = outside;
    const result = torch.tidy(() => {
      const a = outside.mul(2);
      kept = torch.keep(a.add(1));
      return { sum: a.sum(), same: outside };
    });
    expect(torch.liveTensors()).toBe(before + 2);
    expect([result.sum.item(), kept.toArray(), outside.disposed]).toEqual([4, [3, 3], false]);

    const pair = torch.tidy(() => {
      torch.ones([3]);
      return [torch.zeros([1]), torch.ones([1])];
    });
    expect(torch.liveTensors()).toBe(before + 4);
    [result.sum, kept, ...pair].forEach((t) => t.dispose());
    expect(torch.liveTensors()).toBe(before);
  });

  it('nested tidy hands returned tensors to the outer scope', () => {
    const before = torch.liveTensors();
    const inner = torch.tidy(() => {
      const fromInner = torch.tidy(() => torch.ones([1]).add(1));
      expect(fromInner.disposed).toBe(false);
      return fromInner.mul(2);
    });
    expect([inner.item(), torch.liveTensors()]).toEqual([4, before + 1]);
    inner.dispose();
  });

  it('frees the scope when fn throws', () => {
    const before = torch.liveTensors();
    expect(() =>
      torch.tidy(() => {
        torch.ones([3]);
        throw new Error('fail');
      }),
    ).toThrow('fail');
    expect(torch.liveTensors()).toBe(before);
    expect(() => torch.tidy(() => Promise.resolve(1))).toThrow(/synchronous/);
  });

  it('leaks nothing across training steps inside tidy', () => {
    torch.manualSeed(1);
    const w1 = torch.randn([8, 4], { requiresGrad: true });
    const w2 = torch.randn([3, 8], { requiresGrad: true });
    const adam = new torch.optim.Adam([w1, w2], { lr: 1e-2, betas: [0.9, 0.98], eps: 1e-9, weightDecay: 0.01, decoupledWeightDecay: true });
    const x = torch.randn([5, 4]);
    const y = torch.tensor([0, 1, 2, 1, 0], [5], 'int64');
    const step = () =>
      torch.tidy(() => {
        const h = torch.F.dropout(torch.F.relu(torch.F.linear(x, w1)), 0.1, true);
        const loss = torch.F.crossEntropy(torch.F.linear(h, w2), y, { labelSmoothing: 0.1 });
        loss.backward();
        torch.nn.clipGradNorm([w1, w2], 1);
        const gradNorm = w1.grad!.pow(2).sum().item();
        adam.step();
        adam.zeroGrad();
        expect(gradNorm).toBeGreaterThan(0);
        return loss.item();
      });
    const first = step();
    const live = torch.liveTensors();
    let last = first;
    for (let i = 0; i < 20; i++) {
      last = step();
      expect(torch.liveTensors()).toBe(live);
    }
    expect(last).toBeLessThan(first);
  });
});
