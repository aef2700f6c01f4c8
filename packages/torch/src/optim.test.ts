import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from './index.ts';

const close = (values: number[], digits = 6) => values.map((v) => expect.closeTo(v, digits));

// loss = sum(p * c), so the gradient is c whatever p is.
const C = [0.5, -3];
function backwardLinear(p: Tensor): void {
  p.mul(torch.tensor(C, [2], 'float64')).sum().backward();
}

function param(): Tensor {
  const p = torch.tensor([1, -2], [2], 'float64');
  p.requiresGrad = true;
  return p;
}

const OPTS = { lr: 0.1, betas: [0.9, 0.999] as [number, number], eps: 1e-8 };

describe('Adam', () => {
  it('takes the closed-form first step: p - lr * g / (|g| + eps)', () => {
    // m = (1 - b1) g, v = (1 - b2) g^2; bias correction gives m^ = g, v^ = g^2.
    const p = param();
    const adam = new torch.optim.Adam([p], OPTS);
    backwardLinear(p);
    adam.step();
    expect(p.toArray()).toEqual(close([1 - (0.1 * 0.5) / (0.5 + 1e-8), -2 + (0.1 * 3) / (3 + 1e-8)], 10));
    // With a constant gradient m^ / sqrt(v^) stays g / |g|: each step moves lr against the gradient's sign.
    adam.zeroGrad();
    expect(p.grad).toBeNull();
    backwardLinear(p);
    adam.step();
    expect(p.toArray()).toEqual(close([0.8, -1.8], 7));
    const state = adam.stateDict();
    expect(state.step).toBe(2);
    expect(state.tensors.length).toBe(2);
  });

  it('adds L2 weight decay to the gradient (Adam) and decays the weights directly (AdamW)', () => {
    const p = param();
    const adam = new torch.optim.Adam([p], { ...OPTS, weightDecay: 0.1 });
    backwardLinear(p);
    adam.step();
    // g' = g + wd p0 = [0.6, -3.2]; m = 0.1 g', v = 0.001 g'^2
    const [m, v] = adam.stateDict().tensors;
    expect(m?.toArray()).toEqual(close([0.06, -0.32], 10));
    expect(v?.toArray()).toEqual(close([0.00036, 0.01024], 10));

    const q = param();
    const adamw = new torch.optim.Adam([q], { ...OPTS, weightDecay: 0.1, decoupledWeightDecay: true });
    backwardLinear(q);
    adamw.step();
    // p1 = p0 (1 - lr wd) - lr g / (|g| + eps)
    expect(q.toArray()).toEqual(close([1 * 0.99 - 0.1, -2 * 0.99 + 0.1], 7));
    expect(adamw.stateDict().tensors[0]?.toArray()).toEqual(close([0.05, -0.3], 10));
  });

  it('resumes from its state dict exactly', () => {
    const a = param();
    const b = param();
    const first = new torch.optim.Adam([a], OPTS);
    const fresh = new torch.optim.Adam([b], OPTS);
    expect(fresh.stateDict().step).toBe(0);
    expect(fresh.stateDict().tensors.map((t) => t.toArray())).toEqual([[0, 0], [0, 0]]);
    for (let i = 0; i < 3; i++) {
      // A gradient that varies with p, so the moments matter.
      a.pow(2).sum().backward();
      first.step();
      first.zeroGrad();
    }
    b.copy_(a);
    fresh.loadStateDict(first.stateDict());
    for (const [p, opt] of [[a, first], [b, fresh]] as const) {
      p.pow(2).sum().backward();
      opt.step();
    }
    expect(b.toArray()).toEqual(a.toArray());
    expect(() => fresh.loadStateDict({ step: 1, tensors: [] })).toThrow(/expected 2 tensors/);
  });

  it('sets the learning rate', () => {
    const adam = new torch.optim.Adam([param()], OPTS);
    expect(adam.getLr()).toBe(0.1);
    adam.setLr(0.02);
    expect(adam.getLr()).toBe(0.02);
  });
});

describe('clipGradNorm', () => {
  it('scales gradients to the max norm and returns the norm before', () => {
    const p = param();
    const q = torch.zeros([1], { dtype: 'float64', requiresGrad: true });
    // grads [3, 4] and [0]: global L2 norm 5
    p.mul(torch.tensor([3, 4], [2], 'float64')).sum().add(q.sum()).backward();
    q.zeroGrad_();
    expect(torch.nn.clipGradNorm([p, q], 1)).toBeCloseTo(5, 10);
    expect(p.grad?.toArray()).toEqual(close([0.6, 0.8]));
    expect(torch.nn.clipGradNorm([p, q], 10)).toBeCloseTo(1, 5);
    expect(p.grad?.toArray()).toEqual(close([0.6, 0.8]));
  });
});
