import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { torch } from '@attend/torch';
import { resolveConfig } from '@attend/model-spec';
import { CHECKPOINT_FORMAT, loadCheckpoint, readCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { trainStep, type Batch } from './train-step.ts';
import { Transformer } from './transformer.ts';
import { MICRO, ids, maxAbsDiff } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'attend-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const adamFor = (model: Transformer) =>
  new torch.optim.Adam(model.trainableParameters(), { lr: 1e-2, betas: [0.9, 0.98], eps: 1e-9 });

function batch(): Batch {
  return {
    srcIds: ids([[5, 6, 7, 1]]),
    tgtInIds: ids([[0, 10, 11]]),
    tgtOutIds: ids([[10, 11, 1]]),
  };
}

describe('checkpoints', () => {
  it('resume training exactly: weights and Adam state come back', () => {
    const b = batch();
    const a = new Transformer(MICRO, { seed: 1 });
    const adamA = adamFor(a);
    trainStep(a, adamA, b, { smoothing: 0.1 });
    trainStep(a, adamA, b, { smoothing: 0.1 });
    saveCheckpoint(dir, { model: a, optimizer: adamA, step: 2, extra: { epoch: 0, line: 1234 } });
    const continued = trainStep(a, adamA, b, { smoothing: 0.1 });

    const state = readCheckpoint(dir);
    expect(state).toMatchObject({ format: CHECKPOINT_FORMAT, step: 2, config: MICRO, extra: { epoch: 0, line: 1234 } });
    const resumed = new Transformer(state?.config ?? MICRO, { seed: 99 });
    const adamB = adamFor(resumed);
    loadCheckpoint(dir, resumed, adamB);
    const replayed = trainStep(resumed, adamB, b, { smoothing: 0.1 });
    expect(replayed.loss).toBe(continued.loss);
    torch.tidy(() => {
      for (const [name, t] of a.parameters()) expect(maxAbsDiff(t, resumed.parameters().get(name) ?? t), name).toBe(0);
    });
    for (const t of Object.values(b)) t.dispose();
    a.dispose();
    resumed.dispose();
  });

  it('keeps only the files of the newest state and stores the positional tables', () => {
    const model = new Transformer(MICRO, { seed: 3 });
    saveCheckpoint(dir, { model, step: 5 });
    saveCheckpoint(dir, { model, step: 6 });
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'weights-6.safetensors']);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ step: 6, weights: 'weights-6.safetensors', optimizer: null });
    const { tensors } = torch.loadSafetensors(join(dir, 'weights-6.safetensors'));
    expect(Object.keys(tensors)).toContain('model.decoder.embed_positions.weight');
    expect(Object.keys(tensors)).not.toContain('lm_head.weight');
    for (const t of Object.values(tensors)) t.dispose();
    expect(() => loadCheckpoint(dir, model, adamFor(model))).toThrow(/without optimizer state/);
    const other = new Transformer(resolveConfig({ ...MICRO, dFF: 32 }));
    expect(() => loadCheckpoint(dir, other)).toThrow(/another config/);
    expect(readCheckpoint(join(dir, 'none'))).toBeNull();
    model.dispose();
    other.dispose();
  });
});
