// Seeded random parameters for tests and benchmarks: a Marian state dict of the right shapes, with
// scales that keep activations O(1) so that logits differ meaningfully between tokens.
import { type TransformerConfig, positionsName, weightSpecs } from '@attend/model-spec';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PE(pos, i) = sin(pos / 10000^(2i/d)) in the first half, cos in the second (Marian's layout). */
export function sinusoidTable(positions: number, d: number): Float32Array {
  const table = new Float32Array(positions * d);
  const half = d / 2;
  for (let pos = 0; pos < positions; pos++) {
    for (let i = 0; i < half; i++) {
      const angle = pos / 10000 ** ((2 * i) / d);
      table[pos * d + i] = Math.sin(angle);
      table[pos * d + half + i] = Math.cos(angle);
    }
  }
  return table;
}

/**
 * `positionScale`: replace the sinusoid tables by uniform noise of this size. Random-weight models
 * with sinusoids mostly repeat one token; strong random positions make greedy outputs vary from step
 * to step, so a wrong cache or position offset shows up as different tokens.
 */
export function randomWeights(config: TransformerConfig, seed = 1, positionScale?: number): Map<string, Float32Array> {
  const random = seededRandom(seed);
  const uniform = (n: number, bound: number, center = 0) => Float32Array.from({ length: n }, () => center + (2 * random() - 1) * bound);
  const weights = new Map<string, Float32Array>();
  for (const spec of weightSpecs(config)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const fanIn = spec.shape[spec.shape.length - 1] as number;
    let data: Float32Array;
    if (spec.name === positionsName('encoder') || spec.name === positionsName('decoder')) {
      data = positionScale === undefined ? sinusoidTable(config.maxPositions, config.dModel) : uniform(size, positionScale);
    }
    else if (spec.name.endsWith('norm.weight')) data = uniform(size, 0.2, 1);
    else if (spec.name.endsWith('norm.bias') || spec.name.endsWith('.bias') || spec.name === 'final_logits_bias') data = uniform(size, 0.1);
    else if (spec.name === 'model.shared.weight') data = uniform(size, 1 / Math.sqrt(config.dModel));
    else data = uniform(size, Math.sqrt(3 / fanIn)); // unit-variance outputs for unit-variance inputs
    weights.set(spec.name, data);
  }
  return weights;
}
