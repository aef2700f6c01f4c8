import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainArgs } from './train.ts';

describe('npm run train arguments', () => {
  it('reads the config file, applies overrides and --fresh', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'attend-train-args-')), 'run.yaml');
    writeFileSync(path, 'source: en\ntarget: es\ncorpora:\n  - path: train.tsv\noutDir: runs/x\noptim:\n  lr: 0.0005\n');
    const args = parseTrainArgs(['--config', path, '--optim.lr', '0.001', '--fresh', '--run.threads=2']);
    expect(args.fresh).toBe(true);
    expect(args.config.optim.lr).toBe(0.001);
    expect(args.config.run.threads).toBe(2);
    expect(parseTrainArgs([`--config=${path}`]).fresh).toBe(false);
  });

  it('resolves the shipped configs', () => {
    for (const name of ['en-es-tiny', 'es-en-tiny']) {
      const { config } = parseTrainArgs(['--config', join(import.meta.dirname, 'train/configs', `${name}.yaml`)]);
      expect(config.model.preset).toBe('tiny');
      expect(config.run.average).toBe(5);
      expect(`${config.source}-${config.target}`).toBe(name.slice(0, 5));
    }
  });

  it('says what to pass when the config is missing or wrong', () => {
    expect(() => parseTrainArgs([])).toThrow(/--config FILE.yaml/);
    expect(() => parseTrainArgs(['--config', '/nonexistent.yaml'])).toThrow(/cannot read config file/);
    expect(() => parseTrainArgs(['--source', 'en'])).toThrow(/target[\s\S]*corpora/);
  });
});
