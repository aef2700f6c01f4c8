import { afterAll, describe, expect, it } from 'vitest';
import { torch, type Tensor } from '@attend/torch';
import { resolveConfig, weightSpecs } from '@attend/model-spec';
import { labelSmoothedLoss } from './label-smoothing.ts';
import { Transformer } from './transformer.ts';
import { MICRO, ids, maxAbsDiff } from './test-support.ts';

const SRC = [
  [5, 6, 7, 1, 0],
  [8, 9, 1, 0, 0],
];
const TGT_IN = [
  [0, 10, 11, 12],
  [0, 3, 4, 0],
];
const TGT_OUT = [
  [10, 11, 12, 1],
  [3, 4, 1, 0],
];

describe('Transformer parameters', () => {
  it('are model-spec weightSpecs, in order and shape; the positional tables are not trained', () => {
    for (const norm of ['post', 'pre'] as const) {
      const config = resolveConfig({ ...MICRO, norm });
      const model = new Transformer(config, { seed: 1 });
      const params = model.parameters();
      expect([...params.keys()]).toEqual(weightSpecs(config).map((s) => s.name));
      for (const spec of weightSpecs(config)) expect(params.get(spec.name)?.shape).toEqual(spec.shape);
      const trainable = new Set(model.trainableParameters());
      expect(trainable.size).toBe(params.size - 2);
      expect(trainable.has(params.get('model.encoder.embed_positions.weight') as Tensor)).toBe(false);
      model.dispose();
    }
  });

  it('are initialised Xavier-uniform, N(0, d^-0.5), zero biases, unit LayerNorm gains', () => {
    const d = 64;
    const model = new Transformer(resolveConfig({ ...MICRO, vocabSize: 4000, dModel: d, heads: 4, dFF: 256 }), { seed: 3 });
    const p = model.parameters();
    const stats = (name: string) => {
      const v = (p.get(name) as Tensor).toArray();
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      return { mean, std, max: v.reduce((m, x) => Math.max(m, Math.abs(x)), 0), v };
    };
    const shared = stats('model.shared.weight');
    expect(shared.std).toBeCloseTo(d ** -0.5 * Math.sqrt(3999 / 4000), 2);
    expect(shared.v.slice(0, d)).toEqual(new Array(d).fill(0)); // the <pad> row
    const bound = Math.sqrt(6 / (d + 256));
    const fc1 = stats('model.encoder.layers.0.fc1.weight');
    expect(fc1.max).toBeLessThanOrEqual(bound);
    expect(fc1.std).toBeCloseTo(bound / Math.sqrt(3), 2);
    expect(stats('model.encoder.layers.0.fc1.bias').max).toBe(0);
    expect(stats('final_logits_bias').max).toBe(0);
    expect(new Set(stats('model.decoder.layers.0.final_layer_norm.weight').v)).toEqual(new Set([1]));
    model.dispose();
  });

  it('are reproducible from the seed and load 1:1 from another model', () => {
    const a = new Transformer(MICRO, { seed: 7 });
    const b = new Transformer(MICRO, { seed: 7 });
    const c = new Transformer(MICRO, { seed: 8 });
    torch.tidy(() => {
      const logits = (m: Transformer) => m.forward(ids(SRC), ids(TGT_IN));
      expect(maxAbsDiff(logits(a), logits(b))).toBe(0);
      expect(maxAbsDiff(logits(a), logits(c))).toBeGreaterThan(1e-3);
      c.loadWeights(new Map([...a.parameters()].map(([name, t]) => [name, t.data() as Float32Array])));
      expect(maxAbsDiff(logits(a), logits(c))).toBe(0);
    });
    const params = Object.fromEntries(a.parameters());
    expect(() => c.loadWeights({ ...params, 'lm_head.weight': params['model.shared.weight'] as Tensor })).not.toThrow();
    expect(() => c.loadWeights({ ...params, 'model.encoder.extra': params['final_logits_bias'] as Tensor })).toThrow(/unknown parameter/);
    const { final_logits_bias: _, ...missing } = params;
    expect(() => c.loadWeights(missing)).toThrow(/missing "final_logits_bias"/);
    expect(() => c.loadWeights({ ...params, final_logits_bias: new Float32Array(3) })).toThrow(/expects \[1,13\]/);
    for (const m of [a, b, c]) m.dispose();
  });
});

describe('Transformer forward', () => {
  const model = new Transformer(MICRO, { seed: 11, dtype: 'float64' });
  model.train(false);
  afterAll(() => model.dispose());

  it('maps [B, S] and [B, T] ids to [B, T, V] logits', () => {
    torch.tidy(() => expect(model.forward(ids(SRC), ids(TGT_IN)).shape).toEqual([2, 4, MICRO.vocabSize]));
  });

  it('does not see padded source tokens', () => {
    torch.tidy(() => {
      const changed = SRC.map((row) => row.slice());
      (changed[1] as number[])[3] = 11; // batch 1 positions 3, 4 are padding in SRC
      (changed[1] as number[])[4] = 12;
      const srcPadMask = ids(SRC).eq(MICRO.padId);
      const memory = model.encode(ids(SRC), srcPadMask);
      const memoryChanged = model.encode(ids(changed), srcPadMask);
      // Non-pad positions of the memory, and every logit, are unchanged.
      expect(maxAbsDiff(memory.narrow(1, 0, 3), memoryChanged.narrow(1, 0, 3))).toBe(0);
      const logits = model.decode(ids(TGT_IN), memory, srcPadMask);
      expect(maxAbsDiff(logits, model.decode(ids(TGT_IN), memoryChanged, srcPadMask))).toBe(0);
      // ...while the same change at a real token does change them.
      const real = SRC.map((row) => row.slice());
      (real[1] as number[])[0] = 11;
      expect(maxAbsDiff(logits, model.forward(ids(real), ids(TGT_IN)))).toBeGreaterThan(1e-6);
    });
  });

  it('does not see future target tokens', () => {
    torch.tidy(() => {
      const future = TGT_IN.map((row) => row.slice());
      (future[0] as number[])[2] = 3; // position 2 of batch 0
      const a = model.forward(ids(SRC), ids(TGT_IN));
      const b = model.forward(ids(SRC), ids(future));
      expect(maxAbsDiff(a.narrow(1, 0, 2), b.narrow(1, 0, 2))).toBe(0);
      expect(maxAbsDiff(a.narrow(0, 0, 1).narrow(1, 2, 2), b.narrow(0, 0, 1).narrow(1, 2, 2))).toBeGreaterThan(1e-6);
      expect(maxAbsDiff(a.narrow(0, 1, 1), b.narrow(0, 1, 1))).toBe(0);
      const masked = model.forward(ids(SRC), ids(TGT_IN), { maskTargetPadding: true });
      expect(maxAbsDiff(a.narrow(1, 0, 3), masked.narrow(1, 0, 3))).toBeLessThan(1e-12); // right padding only hides keys after the last real token
    });
  });

  it('hides target keys marked as padding when given a target pad mask', () => {
    torch.tidy(() => {
      const srcPadMask = ids(SRC).eq(MICRO.padId);
      const memory = model.encode(ids(SRC), srcPadMask);
      const tgtPadMask = ids([
        [0, 1, 0, 0],
        [0, 0, 0, 0],
      ]).eq(1); // batch 0, position 1 is treated as padding
      const changed = TGT_IN.map((row) => row.slice());
      (changed[0] as number[])[1] = 5;
      const a = model.decode(ids(TGT_IN), memory, srcPadMask, { tgtPadMask });
      const b = model.decode(ids(changed), memory, srcPadMask, { tgtPadMask });
      const others = (t: Tensor) => torch.cat([t.narrow(1, 0, 1), t.narrow(1, 2, 2)], 1); // positions 0, 2, 3
      expect(maxAbsDiff(others(a), others(b))).toBe(0);
      const seen = (tgt: number[][]) => others(model.decode(ids(tgt), memory, srcPadMask)); // without the pad mask
      expect(maxAbsDiff(seen(TGT_IN), seen(changed))).toBeGreaterThan(1e-6);
    });
  });

  it('decodes incrementally with the cache exactly as in one pass', () => {
    for (const norm of ['post', 'pre'] as const) {
      const m = new Transformer(resolveConfig({ ...MICRO, norm }), { seed: 12, dtype: 'float64' });
      m.train(false);
      torch.tidy(() => {
        const src = ids(SRC);
        const srcPadMask = src.eq(MICRO.padId);
        const memory = m.encode(src, srcPadMask);
        const full = m.decode(ids(TGT_IN), memory, srcPadMask); // [B, T, V]
        const cache = m.newDecoderCache();
        for (let t = 0; t < 4; t++) {
          const step = m.decode(ids(TGT_IN.map((row) => [row[t] as number])), memory, srcPadMask, { cache }); // [B, 1, V]
          expect(maxAbsDiff(step, full.narrow(1, t, 1))).toBeLessThan(1e-12);
        }
        expect(cache.pastLength).toBe(4);
        expect(cache.layers[0]?.self.key?.shape).toEqual([2, MICRO.heads, 4, MICRO.dModel / MICRO.heads]);
        cache.dispose();
      });
      m.dispose();
    }
  });
});

describe('Transformer gradients', () => {
  it('match central finite differences (float64) on a sample of parameters', () => {
    const model = new Transformer(resolveConfig({ ...MICRO, activation: 'swish' }), { seed: 5, dtype: 'float64' });
    const loss = (): Tensor => labelSmoothedLoss(model.forward(ids(SRC), ids(TGT_IN)), ids(TGT_OUT), { smoothing: 0.1, padId: MICRO.padId });
    torch.tidy(() => loss().backward());
    const params = model.parameters();
    // Row 0 of the shared embedding is <pad>: its lookup gradient is dropped on purpose (paddingIdx), so
    // the sampled indices stay off it.
    const sample: [string, number[]][] = [
      ['model.shared.weight', [8, 30, 103]],
      ['final_logits_bias', [1, 10]],
      ['model.encoder.layers.0.self_attn.q_proj.weight', [0, 37]],
      ['model.encoder.layers.0.self_attn.v_proj.bias', [3]],
      ['model.encoder.layers.0.fc1.weight', [5, 100]],
      ['model.encoder.layers.0.final_layer_norm.weight', [2]],
      ['model.decoder.layers.0.self_attn.k_proj.weight', [12]],
      ['model.decoder.layers.0.encoder_attn.k_proj.weight', [9, 50]],
      ['model.decoder.layers.0.encoder_attn.out_proj.weight', [33]],
      ['model.decoder.layers.0.fc2.bias', [4]],
      ['model.decoder.layers.0.encoder_attn_layer_norm.bias', [6]],
    ];
    const h = 1e-6;
    for (const [name, indices] of sample) {
      const param = params.get(name) as Tensor;
      const grad = torch.tidy(() => (param.grad as Tensor).toArray());
      const original = param.data() as Float64Array;
      const lossWith = (index: number, value: number) =>
        torch.noGrad(() =>
          torch.tidy(() => {
            const perturbed = original.slice();
            perturbed[index] = value;
            param.copy_(torch.tensor(perturbed, param.shape, 'float64'));
            return loss().item();
          }),
        );
      for (const i of indices) {
        const x = original[i] as number;
        const numeric = (lossWith(i, x + h) - lossWith(i, x - h)) / (2 * h);
        expect(Math.abs(numeric - (grad[i] as number)), `${name}[${i}]`).toBeLessThan(1e-7 + 1e-5 * Math.abs(numeric));
      }
      torch.tidy(() => {
        param.copy_(torch.tensor(original, param.shape, 'float64'));
      });
    }
    model.dispose();
  });
});
