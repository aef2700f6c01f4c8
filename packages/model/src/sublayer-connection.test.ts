import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from '@attend/torch';
import { resolveConfig } from '@attend/model-spec';
import { ParameterStore } from './parameters.ts';
import { SublayerConnection } from './sublayer-connection.ts';
import { MICRO, maxAbsDiff } from './test-support.ts';

/** (x - mean) / sqrt(var + 1e-5) over the last axis, with γ = 1 and β = 0 as initialised. */
function normalise(x: Tensor): Tensor {
  const centred = x.sub(x.mean(-1, true));
  return centred.div(centred.pow(2).mean(-1, true).add(1e-5).sqrt());
}

describe('SublayerConnection', () => {
  const sublayer = (x: Tensor) => x.mul(3).tanh();

  it('post-norm: LayerNorm(x + Sublayer(x))', () => {
    const store = new ParameterStore('float64');
    const connection = new SublayerConnection(store, MICRO, 'n', { training: false });
    torch.tidy(() => {
      const x = torch.randn([2, 3, MICRO.dModel], { dtype: 'float64' });
      expect(maxAbsDiff(connection.forward(x, sublayer), normalise(x.add(sublayer(x))))).toBeLessThan(1e-12);
    });
    expect(store.names()).toEqual(['n.weight', 'n.bias']);
    store.dispose();
  });

  it('pre-norm: x + Sublayer(LayerNorm(x))', () => {
    const store = new ParameterStore('float64');
    const connection = new SublayerConnection(store, resolveConfig({ ...MICRO, norm: 'pre' }), 'n', { training: false });
    torch.tidy(() => {
      const x = torch.randn([2, 3, MICRO.dModel], { dtype: 'float64' });
      expect(maxAbsDiff(connection.forward(x, sublayer), x.add(sublayer(normalise(x))))).toBeLessThan(1e-12);
    });
    store.dispose();
  });

  it('drops the sublayer output in training only', () => {
    const store = new ParameterStore('float64');
    const mode = { training: true };
    const connection = new SublayerConnection(store, resolveConfig({ ...MICRO, dropout: 0.5, norm: 'pre' }), 'n', mode);
    torch.tidy(() => {
      const x = torch.zeros([1, 64, MICRO.dModel], { dtype: 'float64' });
      const ones = () => torch.ones([1, 64, MICRO.dModel], { dtype: 'float64' });
      const trained = connection.forward(x, ones).toArray();
      expect(new Set(trained)).toEqual(new Set([0, 2])); // kept values scaled by 1 / (1 - p)
      mode.training = false;
      expect(new Set(connection.forward(x, ones).toArray())).toEqual(new Set([1]));
    });
    store.dispose();
  });
});
