import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from '@attend/torch';
import { resolveConfig } from '@attend/model-spec';
import { ParameterStore } from './parameters.ts';
import { PositionwiseFeedForward } from './positionwise-feed-forward.ts';
import { MICRO, maxAbsDiff } from './test-support.ts';

describe('PositionwiseFeedForward', () => {
  for (const activation of ['relu', 'swish'] as const) {
    it(`computes fc2(${activation}(fc1(x))) at every position`, () => {
      torch.manualSeed(2);
      const store = new ParameterStore('float64');
      const ffn = new PositionwiseFeedForward(store, resolveConfig({ ...MICRO, activation }), 'encoder', 0);
      torch.tidy(() => {
        const x = torch.randn([2, 4, MICRO.dModel], { dtype: 'float64' });
        const h = x.matmul(ffn.fc1.weight.transpose(0, 1)).add(ffn.fc1.bias); // [B, T, d_ff]
        const act: Tensor = activation === 'relu' ? h.relu() : h.mul(h.sigmoid());
        const expected = act.matmul(ffn.fc2.weight.transpose(0, 1)).add(ffn.fc2.bias); // [B, T, d]
        const y = ffn.forward(x);
        expect(y.shape).toEqual([2, 4, MICRO.dModel]);
        expect(maxAbsDiff(y, expected)).toBeLessThan(1e-12);
      });
      expect(store.names()).toEqual([
        'model.encoder.layers.0.fc1.weight',
        'model.encoder.layers.0.fc1.bias',
        'model.encoder.layers.0.fc2.weight',
        'model.encoder.layers.0.fc2.bias',
      ]);
      store.dispose();
    });
  }
});
