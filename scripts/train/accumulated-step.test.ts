import { describe, expect, it } from 'vitest';
import { torch } from '@attend/torch';
import { Transformer } from '@attend/model';
import { resolveConfig } from '@attend/model-spec';
import { accumulatedUpdate } from './accumulated-step.ts';
import { padRows, targetTokens, toBatch } from './batch-tensors.ts';
import { ONE_PROCESS } from './ranks.ts';
import type { Example } from './token-batches.ts';

const config = resolveConfig({ vocabSize: 13, dModel: 8, heads: 2, dFF: 16, encoderLayers: 1, decoderLayers: 1, maxPositions: 16, dropout: 0 });
const short: Example[] = [
  { source: [3, 4, 1], target: [5, 1] },
  { source: [6, 1], target: [7, 8, 9, 1] },
];
const long: Example[] = [{ source: [3, 5, 7, 9, 11, 1], target: [4, 6, 8, 10, 12, 1] }];

// An optimizer that leaves the weights alone: the test compares the gradients the update produced.
const keepWeights = { step: () => {}, zeroGrad: () => {}, setLr: () => {} };

function gradients(micro: Example[][]): { grads: number[]; norm: number | null } {
  const model = new Transformer(config, { seed: 3 });
  const share = { micro: micro.map((examples, index) => ({ examples, index })), targetTokens: micro.reduce((n, m) => n + targetTokens(m), 0) };
  const result = accumulatedUpdate(model, keepWeights, share, ONE_PROCESS, { lr: 0.01, smoothing: 0.1, clip: 100, seedOf: () => 0 });
  const grads = model.trainableParameters().flatMap((t) => torch.tidy(() => t.grad?.toArray() ?? []));
  model.dispose();
  return { grads, norm: result.gradNorm };
}

describe('accumulated update', () => {
  it('gives the gradient of one batch holding all its micro-batches (token-weighted loss)', () => {
    const accumulated = gradients([short, long]);
    const single = gradients([[...short, ...long]]);
    expect(accumulated.grads.length).toBe(single.grads.length);
    const maxDiff = accumulated.grads.reduce((m, v, i) => Math.max(m, Math.abs(v - single.grads[i]!)), 0);
    expect(maxDiff).toBeLessThan(1e-6);
    expect(accumulated.norm).toBeCloseTo(single.norm!, 5);
    expect(Math.max(...single.grads.map(Math.abs))).toBeGreaterThan(1e-2); // not trivially zero
  });

  it('pads right and shifts the target behind the decoder start token', () => {
    const batch = toBatch(short, { padId: 0, decoderStartId: 0 });
    expect(batch.srcIds.toArray()).toEqual([3, 4, 1, 6, 1, 0]);
    expect(batch.tgtInIds.toArray()).toEqual([0, 5, 0, 0, 0, 7, 8, 9]);
    expect(batch.tgtOutIds.toArray()).toEqual([5, 1, 0, 0, 7, 8, 9, 1]);
    expect(padRows([[1], []], 0).shape).toEqual([2, 1]);
  });
});
