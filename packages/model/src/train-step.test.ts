import { describe, expect, it } from 'vitest';
import { torch } from '@attend/torch';
import { resolveConfig } from '@attend/model-spec';
import { trainStep, type Batch } from './train-step.ts';
import { Transformer } from './transformer.ts';
import { MICRO, ids } from './test-support.ts';

function batch(): Batch {
  return {
    srcIds: ids([
      [5, 6, 7, 1],
      [8, 9, 1, 0],
    ]),
    tgtInIds: ids([
      [0, 10, 11],
      [0, 3, 0],
    ]),
    tgtOutIds: ids([
      [10, 11, 1],
      [3, 1, 0],
    ]),
  };
}

describe('trainStep', () => {
  it('lowers the loss on a repeated batch and counts the non-pad tokens', () => {
    const model = new Transformer(MICRO, { seed: 1 });
    const adam = new torch.optim.Adam(model.trainableParameters(), { lr: 1e-2, betas: [0.9, 0.98], eps: 1e-9 });
    const b = batch();
    const first = trainStep(model, adam, b, { smoothing: 0.1, clipNorm: 1 });
    expect(first).toMatchObject({ targetTokens: 5, sourceTokens: 7 });
    expect(first.gradNorm).toBeGreaterThan(0);
    let last = first;
    for (let i = 0; i < 30; i++) last = trainStep(model, adam, b, { smoothing: 0.1 });
    expect(last.gradNorm).toBeNull();
    expect(last.loss).toBeLessThan(first.loss / 2);
    for (const t of Object.values(b)) t.dispose();
    model.dispose();
  });

  it('holds no tensors across steps (dropout on, clipping, lr changes)', () => {
    const model = new Transformer(resolveConfig({ ...MICRO, dropout: 0.1, attentionDropout: 0.1 }), { seed: 2 });
    const adam = new torch.optim.Adam(model.trainableParameters(), { lr: 1e-3, betas: [0.9, 0.98], eps: 1e-9 });
    const b = batch();
    const step = (i: number) => trainStep(model, adam, b, { smoothing: 0.1, clipNorm: 1, lr: 1e-3 / i, maskTargetPadding: true });
    step(1);
    const afterOne = torch.liveTensors();
    step(2);
    step(3);
    expect(torch.liveTensors()).toBe(afterOne);
    for (const t of Object.values(b)) t.dispose();
    model.dispose();
  });
});
