// The tokenizer on the real corpus: trained once on all of train.tsv, checked on every line, and
// loaded by both Hugging Face JavaScript runtimes from the files saveTokenizer writes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainBpe } from './bpe-trainer.ts';
import { loadTokenizer, readTsvTexts, saveTokenizer } from './files.ts';
import type { Tokenizer } from './tokenizer.ts';

// The corpus lives in shared/, beside the repository (../shared/data/en-es from the repo root).
const DATA = fileURLToPath(new URL('../../../../shared/data/en-es', import.meta.url));
const MODEL_ID = 'en-es';

// Beyond dev.tsv: the whitespace, scripts and special-token cases where a pipeline could diverge.
const EDGE_CASES = [
  '', ' ', '   ', ' leading', 'trailing ', 'two  spaces', 'cafe\u0301 ñandú', '3.14 + 2,5 = 5,64 ¿sí?',
  '👋🏽 emoji 👨‍👩‍👧', '日本語のテキスト', 'مرحبا بالعالم', 'Ελληνικά', 'tab\tand\nnewline', 'a</s>b<pad>', '<unk>',
];

async function readTexts(path: string): Promise<string[]> {
  const texts: string[] = [];
  for await (const text of readTsvTexts(path)) texts.push(text);
  return texts;
}

describe('a 16k vocabulary trained on train.tsv', () => {
  let tokenizer: Tokenizer;
  let root: string;

  beforeAll(async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    tokenizer = await trainBpe(readTsvTexts(`${DATA}/train.tsv`), { vocabSize: 16_000 });
    const { user, system } = process.cpuUsage(cpu);
    const wall = (performance.now() - started) / 1000;
    // A timing report, not an assertion: the CI machine's load varies. CPU time is the steadier figure.
    console.log(`trainBpe(train.tsv, both sides, vocabSize 16000): ${wall.toFixed(1)} s wall, ${((user + system) / 1e6).toFixed(1)} s CPU`);
    root = await mkdtemp(join(tmpdir(), 'attend-tokenizer-'));
    await saveTokenizer(join(root, MODEL_ID), tokenizer);
  });

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('decodes every line of train.tsv, both sides, to its NFC text', async () => {
    const texts = await readTexts(`${DATA}/train.tsv`);
    const failures = texts.filter((text) => tokenizer.decode(tokenizer.encode(text)) !== text.normalize('NFC'));
    expect(texts).toHaveLength(2 * 280_885);
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('gives the same ids and text as @huggingface/transformers and @huggingface/tokenizers on dev.tsv', async () => {
    const texts = [...(await readTexts(`${DATA}/dev.tsv`)), ...EDGE_CASES];
    const saved = { allowRemoteModels: env.allowRemoteModels, localModelPath: env.localModelPath };
    env.allowRemoteModels = false;
    env.localModelPath = root;
    const transformers = await AutoTokenizer.from_pretrained(MODEL_ID).finally(() => Object.assign(env, saved));
    const dir = join(root, MODEL_ID);
    const [json, config] = await Promise.all(['tokenizer.json', 'tokenizer_config.json'].map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8'))));
    const tokenizers = new HfTokenizer(json, config);
    const reloaded = await loadTokenizer(dir);

    const mismatches: string[] = [];
    for (const text of texts) {
      const ids = tokenizer.encode(text);
      const theirs = { transformers: transformers.encode(text), tokenizers: tokenizers.encode(text).ids, reloaded: reloaded.encode(text) };
      for (const [who, other] of Object.entries(theirs)) {
        if (JSON.stringify(other) !== JSON.stringify(ids)) mismatches.push(`${who} ids ${JSON.stringify(text)}`);
      }
      for (const skip of [true, false]) {
        const ours = tokenizer.decode(ids, { skipSpecialTokens: skip });
        if (transformers.decode(ids, { skip_special_tokens: skip }) !== ours) mismatches.push(`transformers text ${JSON.stringify(text)}`);
        if (tokenizers.decode(ids, { skip_special_tokens: skip }) !== ours) mismatches.push(`tokenizers text ${JSON.stringify(text)}`);
      }
    }
    expect(texts.length).toBe(2 * 1421 + EDGE_CASES.length);
    expect(mismatches).toEqual([]);
  });
});
