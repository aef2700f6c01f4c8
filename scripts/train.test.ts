import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainArgs } from './train.ts';

const dir = mkdtempSync(join(tmpdir(), 'attend-train-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run train arguments', () => {
  it('reads the config file, applies overrides and --fresh', () => {
    const path = join(dir, 'run.yaml');
    writeFileSync(path, 'source: en\ntarget: es\ncorpora:\n  - path: train.tsv\noutDir: runs/x\noptim:\n  lr: 0.0005\n');
    const args = parseTrainArgs(['--config', path, '--optim.lr', '0.001', '--fresh', '--run.threads=2']);
    expect(args.fresh).toBe(true);
    expect(args.config.optim.lr).toBe(0.001);
    expect(args.config.run.threads).toBe(2);
    expect(parseTrainArgs([`--config=${path}`]).fresh).toBe(false);
  });

  it('takes the launch flags apart from what every rank gets', () => {
    const path = join(dir, 'run.yaml');
    writeFileSync(path, 'source: en\ntarget: es\ncorpora:\n  - path: train.tsv\noutDir: runs/x\n');
    const local = parseTrainArgs(['--config', path, '--nproc', '2', '--fresh', '--optim.lr=0.001']);
    expect(local.launch).toEqual({ nproc: 2, nnodes: 1, nodeRank: 0, masterAddr: '127.0.0.1', masterPort: null, connectTimeoutSeconds: 300 });
    expect(local.rankArgv).toEqual(['--config', path, '--fresh', '--optim.lr=0.001']);
    const spanning = parseTrainArgs(['--config', path, '--nnodes=2', '--node-rank', '1', '--master-addr', '10.0.0.1', '--connect-timeout', '60']);
    expect(spanning.launch).toEqual({ nproc: 1, nnodes: 2, nodeRank: 1, masterAddr: '10.0.0.1', masterPort: 29500, connectTimeoutSeconds: 60 });
    expect(parseTrainArgs(['--config', path, '--nproc', '1']).launch).toBeNull();
    expect(() => parseTrainArgs(['--config', path, '--nnodes', '2'])).toThrow(/--nnodes 2 needs --master-addr/);
    expect(() => parseTrainArgs(['--config', path, '--nnodes', '2', '--node-rank', '2', '--master-addr', 'h'])).toThrow(/--node-rank 2 must be below --nnodes 2/);
    expect(() => parseTrainArgs(['--config', path, '--nproc', 'two'])).toThrow(/--nproc must be an integer >= 1/);
    expect(() => parseTrainArgs(['--config', path, '--nproc'])).toThrow(/--nproc needs a value/);
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
