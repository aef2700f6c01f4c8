import { describe, expect, it } from 'vitest';
import { applyOverrides, resolveTrainConfig } from './train-config.ts';

const minimal = { source: 'en', target: 'es', corpora: [{ path: 'train.tsv' }], outDir: 'runs/x' };

describe('training config', () => {
  it('fills the paper recipe as defaults', () => {
    const config = resolveTrainConfig(minimal);
    expect(config.optim).toMatchObject({ betas: [0.9, 0.98], eps: 1e-9, labelSmoothing: 0.1, warmup: 4000 });
    expect(config.corpora[0]).toEqual({ path: 'train.tsv', swap: false, weight: 1 });
    expect(config.model.preset).toBe('tiny');
  });

  it('lets the command line override any key, typed as YAML scalars', () => {
    const raw = applyOverrides(minimal, ['--optim.lr', '0.001', '--run.quiet', '--model.norm=pre', '--batch.maxTokens', '2048', '--optim.betas', '[0.9, 0.997]']);
    const config = resolveTrainConfig(raw);
    expect(config.optim.lr).toBe(0.001);
    expect(config.optim.betas).toEqual([0.9, 0.997]);
    expect(config.run.quiet).toBe(true);
    expect(config.model.norm).toBe('pre');
    expect(config.batch.maxTokens).toBe(2048);
  });

  it('names every wrong key', () => {
    expect(() => resolveTrainConfig({ ...minimal, optim: { lr: -1 }, typo: 1 })).toThrow(/optim\.lr[\s\S]*|typo/);
    expect(() => resolveTrainConfig({ source: 'en' })).toThrow(/target[\s\S]*corpora[\s\S]*outDir/);
    expect(() => applyOverrides(minimal, ['lr'])).toThrow(/options look like --optim.lr/);
    expect(() => resolveTrainConfig({ ...minimal, optim: { cooldown: 11 }, run: { maxSteps: 10 } })).toThrow(/optim\.cooldown: 11 updates is more than run\.maxSteps \(10\)/);
    expect(resolveTrainConfig({ ...minimal, optim: { cooldown: 10 }, run: { maxSteps: 10 } }).optim.cooldown).toBe(10);
  });

  it('refuses unknown keys at every depth, naming each', () => {
    const typos = applyOverrides(minimal, ['--optim.lrr', '0.001', '--run.maxStep', '10', '--model.dmodel', '64']);
    let message = '';
    try {
      resolveTrainConfig(typos);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const key of ['optim.lrr: unknown key', 'run.maxStep: unknown key', 'model.dmodel: unknown key']) expect(message).toContain(key);
    expect(() => resolveTrainConfig({ ...minimal, corpora: [{ path: 'a.tsv', wieght: 2 }] })).toThrow(/corpora\.0[\s\S]*wieght/);
    expect(() => resolveTrainConfig({ ...minimal, dev: { path: 'd.tsv', weight: 2 } })).toThrow(/dev[\s\S]*weight/);
  });
});
