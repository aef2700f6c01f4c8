// Node-only helpers: the tokenizer files on disk and streaming TSV corpora. Nothing in the encode/decode
// path imports this module, so the Worker bundle never pulls in `node:fs`.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TokenizerConfigOptions } from './tokenizer-json.ts';
import { Tokenizer } from './tokenizer.ts';

export const TOKENIZER_FILE = 'tokenizer.json';
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';

/** Writes tokenizer.json and tokenizer_config.json into `dir` (created if missing). */
export async function saveTokenizer(dir: string, tokenizer: Tokenizer, options?: TokenizerConfigOptions): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, TOKENIZER_FILE), `${JSON.stringify(tokenizer.toJSON())}\n`);
  await writeAtomically(join(dir, TOKENIZER_CONFIG_FILE), `${JSON.stringify(tokenizer.tokenizerConfig(options), null, 2)}\n`);
}

/** Reads `dir/tokenizer.json` as written by saveTokenizer. */
export async function loadTokenizer(dir: string): Promise<Tokenizer> {
  const path = join(dir, TOKENIZER_FILE);
  return Tokenizer.fromJSON(JSON.parse(await readFile(path, 'utf8')) as unknown);
}

/** Streams `source<TAB>target` pairs from a UTF-8 TSV file; blank lines are skipped. */
export async function* readTsvPairs(path: string): AsyncGenerator<[string, string]> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const line = lineNumber === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab < 0 || line.includes('\t', tab + 1)) {
      throw new Error(`${path}:${lineNumber}: expected exactly two tab-separated columns (source<TAB>target)`);
    }
    yield [line.slice(0, tab), line.slice(tab + 1)];
  }
}

/** Both columns of a TSV file, source then target for each line: the input trainBpe wants. */
export async function* readTsvTexts(path: string): AsyncGenerator<string> {
  for await (const [source, target] of readTsvPairs(path)) {
    yield source;
    yield target;
  }
}

// A reader never sees a half-written file: write a sibling, then rename over the target.
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}
