import { describe, expect, it } from 'vitest';
import { torch } from './index.ts';

const close = (values: number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));

describe('backward', () => {
  it('matches the analytic gradient of a small expression', () => {
    // f(x, y) = sum(tanh(x) * y + x^3) / 2   =>   df/dx = ((1 - tanh^2 x) y + 3x^2) / 2,  df/dy = tanh(x) / 2
    const xs = [0.5, -1, 2];
    const ys = [2, 3, -1];
    const x = torch.tensor(xs, [3]);
    const y = torch.tensor(ys, [3]);
    x.requiresGrad = true;
    y.requiresGrad = true;
    x.tanh().mul(y).add(x.pow(3)).sum().div(2).backward();
    const dx = xs.map((v, i) => ((1 - Math.tanh(v) ** 2) * ys[i]! + 3 * v * v) / 2);
    expect(x.grad?.toArray()).toEqual(close(dx));
    expect(y.grad?.toArray()).toEqual(close(xs.map((v) => Math.tanh(v) / 2)));
  });

  it('differentiates matmul, softmax and layerNorm', () => {
    // z = sum(A @ B): dA = 1 B^T (row sums of B), dB = A^T 1 (column sums of A)
    const a = torch.tensor([1, 2, 3, 4], [2, 2], 'float64');
    const b = torch.tensor([5, 6, 7, 8], [2, 2], 'float64');
    a.requiresGrad = true;
    b.requiresGrad = true;
    a.matmul(b).sum().backward();
    expect(a.grad?.toArray()).toEqual([11, 15, 11, 15]);
    expect(b.grad?.toArray()).toEqual([4, 4, 6, 6]);

    // softmax sums to one, so the gradient of sum(softmax(x)) is zero.
    const s = torch.tensor([0.3, -1, 2], [3], 'float64');
    s.requiresGrad = true;
    s.softmax(0).sum().backward();
    expect(s.grad?.toArray()).toEqual(close([0, 0, 0], 10));

    // layerNorm output is invariant to shifting its input: gradients sum to zero along the row.
    const l = torch.tensor([1, 5, 2, 8], [1, 4], 'float64');
    l.requiresGrad = true;
    const w = torch.tensor([1, 2, 3, 4], [4], 'float64');
    torch.F.layerNorm(l, [4]).mul(w).sum().backward();
    expect(l.grad?.sum().item()).toBeCloseTo(0, 10);
  });

  it('accumulates gradients until zeroGrad_', () => {
    const p = torch.tensor([1, 2], [2]);
    p.requiresGrad = true;
    p.mul(3).sum().backward();
    p.mul(3).sum().backward();
    expect(p.grad?.toArray()).toEqual([6, 6]);
    p.zeroGrad_();
    expect(p.grad?.toArray()).toEqual([0, 0]);
  });

  it('takes an explicit output gradient', () => {
    const p = torch.tensor([1, 2], [2]);
    p.requiresGrad = true;
    p.mul(p).backward(torch.tensor([1, 10], [2]));
    expect(p.grad?.toArray()).toEqual([2, 40]);
  });

  it('records nothing under noGrad and restores the mode after', () => {
    const p = torch.ones([2], { requiresGrad: true });
    const inside = torch.noGrad(() => p.mul(2));
    expect(inside.requiresGrad).toBe(false);
    expect(() => torch.noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(p.mul(2).requiresGrad).toBe(true);
    expect(p.grad).toBeNull();
  });

  it('gives the padding row of an embedding no gradient', () => {
    const weight = torch.ones([3, 2], { requiresGrad: true });
    const ids = torch.tensor([0, 1, 1, 2], [2, 2], 'int64');
    const out = torch.F.embedding(ids, weight, 0);
    expect(out.shape).toEqual([2, 2, 2]);
    out.sum().backward();
    expect(weight.grad?.toArray()).toEqual([0, 0, 2, 2, 1, 1]);
  });
});

describe('functional', () => {
  it('computes linear, silu and dropout', () => {
    const x = torch.tensor([1, 2], [1, 2]);
    const w = torch.tensor([1, 0, 0, 1, 1, 1], [3, 2]);
    expect(torch.F.linear(x, w).toArray()).toEqual([1, 2, 3]);
    expect(torch.F.linear(x, w, torch.tensor([1, 1, 1], [3])).toArray()).toEqual([2, 3, 4]);
    expect(torch.F.silu(torch.tensor([1], [1])).item()).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(torch.F.relu(torch.tensor([-1, 1], [2])).toArray()).toEqual([0, 1]);
    expect(torch.F.softmax(torch.tensor([0, 0], [2]), 0).toArray()).toEqual([0.5, 0.5]);

    const ones = torch.ones([1000]);
    expect(torch.F.dropout(ones, 0.5, false).toArray()).toEqual(ones.toArray());
    torch.manualSeed(7);
    const dropped = torch.F.dropout(ones, 0.25, true).toArray();
    // Kept elements are scaled by 1 / (1 - p); about a quarter are zeroed.
    expect(dropped.filter((v) => v !== 0 && Math.abs(v - 1 / 0.75) > 1e-6)).toEqual([]);
    expect(dropped.filter((v) => v === 0).length).toBeGreaterThan(200);
    expect(dropped.filter((v) => v === 0).length).toBeLessThan(300);
    torch.manualSeed(7);
    expect(torch.F.dropout(ones, 0.25, true).toArray()).toEqual(dropped);
  });

  it('normalizes layers as (x - mean) / sqrt(var + eps) * w + b', () => {
    const x = torch.tensor([1, 2, 3, 4], [1, 4]);
    const mean = 2.5;
    const variance = 1.25; // biased, as LayerNorm uses
    const expected = [1, 2, 3, 4].map((v) => ((v - mean) / Math.sqrt(variance + 1e-5)) * 2 + 1);
    const out = torch.F.layerNorm(x, [4], torch.full([4], 2), torch.ones([4]));
    expect(out.toArray()).toEqual(close(expected));
  });

  it('computes label-smoothed cross entropy and its gradient', () => {
    // logits [1, 2, 3], target 0, eps 0.1, C 3:
    // loss = (1 - eps) * -log p_0 + eps / C * sum_c -log p_c
    const logp = [1, 2, 3].map((v) => v - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)));
    const loss = 0.9 * -logp[0]! + (0.1 / 3) * -(logp[0]! + logp[1]! + logp[2]!);
    expect(loss).toBeCloseTo(2.3076059644, 8);

    const logits = torch.tensor([1, 2, 3, 5, 5, 5], [2, 3], 'float64');
    logits.requiresGrad = true;
    const targets = torch.tensor([0, -100], [2], 'int64');
    const out = torch.F.crossEntropy(logits, targets, { labelSmoothing: 0.1 });
    expect(out.item()).toBeCloseTo(loss, 10);
    out.backward();
    // d/dlogits = softmax - smoothed target (0.9 one-hot + 0.1/3), for the one counted row; ignored row 0.
    const target = [0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3];
    expect(logits.grad?.toArray()).toEqual(close([...logp.map((l, c) => Math.exp(l) - target[c]!), 0, 0, 0], 8));

    const sum = torch.F.crossEntropy(logits, torch.tensor([2, 0], [2], 'int64'), { reduction: 'sum' }).item();
    const none = torch.F.crossEntropy(logits, torch.tensor([2, 0], [2], 'int64'), { reduction: 'none' }).toArray();
    expect(none).toEqual(close([-logp[2]!, Math.log(3)], 8));
    expect(sum).toBeCloseTo(-logp[2]! + Math.log(3), 8);
    expect(torch.F.crossEntropy(logits, torch.tensor([1, 1], [2], 'int64'), { ignoreIndex: 1 }).item()).toBeNaN();
  });
});
