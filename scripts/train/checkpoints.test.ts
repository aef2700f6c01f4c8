import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { torch } from '@attend/torch';
import { Transformer } from '@attend/model';
import { resolveConfig } from '@attend/model-spec';
import { averageCheckpoints } from './checkpoint-average.ts';
import { CheckpointStore, stepFolder } from './checkpoints.ts';

const config = resolveConfig({ vocabSize: 13, dModel: 8, heads: 2, dFF: 16, encoderLayers: 1, decoderLayers: 1, maxPositions: 16 });

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function setup() {
  const outDir = mkdtempSync(join(tmpdir(), 'attend-ckpt-'));
  made.push(outDir);
  const extra = join(outDir, 'tokenizer.json');
  writeFileSync(extra, '{}');
  const model = new Transformer(config, { seed: 1 });
  const optimizer = new torch.optim.Adam(model.trainableParameters(), { lr: 1e-3, betas: [0.9, 0.98], eps: 1e-9 });
  const store = new CheckpointStore(outDir);
  const save = (step: number, best = false) => store.save({ step, model, optimizer, extra: { step }, files: [extra], best });
  return { outDir, model, store, save };
}

describe('checkpoint store', () => {
  it('keeps the newest K and the best, with self-contained folders', () => {
    const { store, save } = setup();
    for (const step of [1, 2, 3, 4, 5]) save(step, step === 2);
    store.prune(2);
    expect(store.list().map((e) => e.step)).toEqual([2, 4, 5]);
    expect(store.latest()?.step).toBe(5);
    expect(store.best()?.step).toBe(2);
    expect(readdirSync(store.latest()!.path).sort()).toEqual(['optimizer-5.safetensors', 'state.json', 'tokenizer.json', 'weights-5.safetensors']);
  });

  it('recovers from a kill mid-save: temp folders and folders newer than `latest` go, `latest` stays', () => {
    const { store, save } = setup();
    save(1);
    save(2);
    // What kills leave: a half-written folder, a folder renamed before its pointer, a pointer being written.
    mkdirSync(join(store.dir, `.tmp-${stepFolder(4)}`));
    writeFileSync(join(store.dir, `.tmp-${stepFolder(4)}`, 'weights-4.safetensors'), 'half');
    mkdirSync(join(store.dir, stepFolder(3)));
    writeFileSync(join(store.dir, 'latest.tmp-999'), 'step-');
    expect(store.recover()?.step).toBe(2);
    expect(readdirSync(store.dir).sort()).toEqual(['latest', stepFolder(1), stepFolder(2)]);
    expect(existsSync(join(store.dir, stepFolder(2), 'weights-2.safetensors'))).toBe(true);
  });

  it('refuses to guess when `latest` is gone but several checkpoints remain', () => {
    const { store, save } = setup();
    save(1);
    expect(store.recover()?.step).toBe(1);
    rmSync(join(store.dir, 'latest'));
    expect(store.recover()).toBeNull(); // one folder and no pointer: a kill during the first save
    expect(store.list()).toEqual([]);
    save(1);
    save(2);
    rmSync(join(store.dir, 'latest'));
    expect(() => store.recover()).toThrow(/latest is missing .* or pass --fresh/);
    expect(store.list().length).toBe(2);
  });

  it('averages weights element-wise, and one checkpoint exactly', () => {
    const { model, store, save } = setup();
    const first = save(1);
    const name = 'model.shared.weight';
    const before = model.parameters().get(name)!.toArray();
    torch.noGrad(() => torch.tidy(() => model.parameters().get(name)!.copy_(torch.full([13, 8], 3))));
    const second = save(2);
    expect(averageCheckpoints([first.path]).weights.get(name)).toEqual(Float32Array.from(before));
    const mean = averageCheckpoints(store.list().map((e) => e.path));
    expect(mean.steps).toEqual([1, 2]);
    expect(Array.from(mean.weights.get(name)!)).toEqual(before.map((v) => Math.fround((v + 3) / 2)));
    expect(second.step).toBe(2);
  });
});
