import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainBpe } from './bpe-trainer.ts';
import { loadTokenizer, readTsvPairs, readTsvTexts, saveTokenizer } from './files.ts';

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attend-tokenizer-files-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function pairs(path: string): Promise<Array<[string, string]>> {
    const out: Array<[string, string]> = [];
    for await (const pair of readTsvPairs(path)) out.push(pair);
    return out;
  }

  it('streams TSV pairs, tolerating a BOM, CRLF and blank lines', async () => {
    const path = join(dir, 'ok.tsv');
    await writeFile(path, '\uFEFFHello\tHola\r\n\r\n  two words \t dos palabras \n');
    expect(await pairs(path)).toEqual([
      ['Hello', 'Hola'],
      ['  two words ', ' dos palabras '],
    ]);
    const texts: string[] = [];
    for await (const text of readTsvTexts(path)) texts.push(text);
    expect(texts).toEqual(['Hello', 'Hola', '  two words ', ' dos palabras ']);
  });

  it('names the file and line of a row without exactly two columns', async () => {
    const path = join(dir, 'bad.tsv');
    await writeFile(path, 'a\tb\nno tab here\n');
    await expect(pairs(path)).rejects.toThrow(`${path}:2: expected exactly two tab-separated columns`);
    await writeFile(path, 'a\tb\tc\n');
    await expect(pairs(path)).rejects.toThrow(`${path}:1:`);
  });

  it('saves tokenizer.json and tokenizer_config.json and loads the same tokenizer back', async () => {
    const tokenizer = await trainBpe(['uno dos tres', 'one two three', 'uno dos', 'one two'], { vocabSize: 290 });
    const target = join(dir, 'model', 'nested');
    await saveTokenizer(target, tokenizer, { modelMaxLength: 256 });
    expect((await readdir(target)).sort()).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    const config = JSON.parse(await readFile(join(target, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: 256, eos_token: '</s>' });
    const loaded = await loadTokenizer(target);
    expect(loaded.toJSON()).toEqual(tokenizer.toJSON());
    expect(loaded.encode('dos tres')).toEqual(tokenizer.encode('dos tres'));
  });
});
