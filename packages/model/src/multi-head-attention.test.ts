import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from '@attend/torch';
import { MultiHeadAttention } from './multi-head-attention.ts';
import { ParameterStore } from './parameters.ts';
import { MICRO, maxAbsDiff } from './test-support.ts';

const d = MICRO.dModel;
const dK = d / MICRO.heads;

function setup() {
  torch.manualSeed(1);
  const store = new ParameterStore('float64');
  const attention = new MultiHeadAttention(store, MICRO, 'decoder', 0, 'encoder_attn', { training: false });
  return { store, attention };
}

/** softmax(Q_i K_i^T / sqrt(d_k)) V_i head by head from slices of the weights, then concat and W^O. */
function reference(attention: MultiHeadAttention, x: Tensor, kv: Tensor): Tensor {
  const head = (linear: { weight: Tensor; bias: Tensor }, input: Tensor, i: number) =>
    torch.F.linear(input, linear.weight.narrow(0, i * dK, dK), linear.bias.narrow(0, i * dK, dK));
  const heads = Array.from({ length: MICRO.heads }, (_, i) => {
    const q = head(attention.q, x, i);
    const k = head(attention.k, kv, i);
    const v = head(attention.v, kv, i);
    return q.matmul(k.transpose(1, 2)).div(Math.sqrt(dK)).softmax(-1).matmul(v); // [B, T, d_k]
  });
  return attention.out.forward(torch.cat(heads, 2));
}

describe('MultiHeadAttention', () => {
  it('equals attention computed head by head', () => {
    const { store, attention } = setup();
    torch.tidy(() => {
      const x = torch.randn([2, 3, d], { dtype: 'float64' });
      const kv = torch.randn([2, 5, d], { dtype: 'float64' });
      const y = attention.forward(x, kv, null);
      expect(y.shape).toEqual([2, 3, d]);
      expect(maxAbsDiff(y, reference(attention, x, kv))).toBeLessThan(1e-12);
    });
    store.dispose();
  });

  it('ignores masked keys: changing them leaves every output unchanged', () => {
    const { store, attention } = setup();
    torch.tidy(() => {
      const x = torch.randn([2, 3, d], { dtype: 'float64' });
      const values = Float64Array.from({ length: 2 * 5 * d }, (_, i) => Math.sin(i));
      const changed = values.slice();
      for (let i = 3 * d; i < 5 * d; i++) changed[i] = 100 * Math.cos(i); // batch 0, keys 3 and 4
      const mask = torch.tensor(Uint8Array.from([0, 0, 0, 1, 1, 0, 0, 0, 0, 0]), [2, 1, 1, 5], 'bool');
      const a = attention.forward(x, torch.tensor(values, [2, 5, d], 'float64'), mask);
      const b = attention.forward(x, torch.tensor(changed, [2, 5, d], 'float64'), mask);
      expect(maxAbsDiff(a, b)).toBe(0);
      const unmasked = attention.forward(x, torch.tensor(changed, [2, 5, d], 'float64'), null);
      expect(maxAbsDiff(a, unmasked)).toBeGreaterThan(1e-3);
    });
    store.dispose();
  });
});
