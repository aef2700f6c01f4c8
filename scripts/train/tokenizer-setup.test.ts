import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticPairs, writeTsv } from './synthetic-task.ts';
import { resolveTrainConfig } from './train-config.ts';
import { prepareTokenizer } from './tokenizer-setup.ts';

const dir = mkdtempSync(join(tmpdir(), 'attend-tokenizer-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const corpus = writeTsv(join(dir, 'train.tsv'), syntheticPairs(50, { seed: 1 }));
const config = (outDir: string, tokenizer: Record<string, unknown>) =>
  resolveTrainConfig({ source: 'en', target: 'es', corpora: [{ path: corpus }], outDir: join(dir, outDir), tokenizer: { vocabSize: 300, ...tokenizer } });

describe('the run tokenizer', () => {
  it('trains on the first trainLines pairs, keeps it in outDir and reuses it there', async () => {
    const trained = await prepareTokenizer(config('a', { trainLines: 20 }), 512);
    expect(trained).toMatchObject({ origin: 'trained', trainPairs: 20 });
    expect(JSON.parse(readFileSync(join(dir, 'a', 'tokenizer_config.json'), 'utf8')).model_max_length).toBe(512);
    const whole = await prepareTokenizer(config('b', {}), 512);
    expect(whole.trainPairs).toBe(50); // one pass over the corpus, not trainLines
    const again = await prepareTokenizer(config('a', { vocabSize: 999 }), 512);
    expect(again.origin).toBe('run');
    expect(again.tokenizer.toJSON()).toEqual(trained.tokenizer.toJSON());
  });

  it('copies a given tokenizer.json (or its folder) into outDir', async () => {
    const given = await prepareTokenizer(config('c', { path: join(dir, 'a') }), 512);
    expect(given.origin).toBe('given');
    expect(readFileSync(join(dir, 'c', 'tokenizer.json'), 'utf8')).toBe(readFileSync(join(dir, 'a', 'tokenizer.json'), 'utf8'));
    await expect(prepareTokenizer(config('d', { path: join(dir, 'missing.json') }), 512)).rejects.toThrow(/cannot read tokenizer .*missing\.json/);
  });
});
