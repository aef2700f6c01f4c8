// The run's tokenizer, kept as outDir/tokenizer.json: reused when the run already has one (resume),
// copied from tokenizer.path when given, otherwise trained (joint BPE over both sides) on the first
// tokenizer.trainLines pairs of the training mix, streamed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer, trainBpe } from '@attend/tokenizer';
import { TOKENIZER_FILE, saveTokenizer } from '@attend/tokenizer/files';
import { mixCorpora } from './corpus-mix.ts';
import { SkipCounts } from './parallel-corpus.ts';
import type { TrainConfig } from './train-config.ts';

export interface TokenizerSetup {
  readonly tokenizer: Tokenizer;
  readonly origin: 'run' | 'given' | 'trained';
  readonly trainPairs: number; // pairs read to train it (0 unless trained)
}

export async function prepareTokenizer(config: TrainConfig, maxPositions: number): Promise<TokenizerSetup> {
  const own = join(config.outDir, TOKENIZER_FILE);
  if (existsSync(own)) return { tokenizer: readTokenizerFile(own), origin: 'run', trainPairs: 0 };
  let setup: TokenizerSetup;
  if (config.tokenizer.path !== undefined) {
    const given = statSync(config.tokenizer.path, { throwIfNoEntry: false })?.isDirectory() ? join(config.tokenizer.path, TOKENIZER_FILE) : config.tokenizer.path;
    setup = { tokenizer: readTokenizerFile(given), origin: 'given', trainPairs: 0 };
  } else {
    let pairs = 0;
    const tokenizer = await trainBpe(trainingText(config, () => pairs++), { vocabSize: config.tokenizer.vocabSize });
    setup = { tokenizer, origin: 'trained', trainPairs: pairs };
  }
  await saveTokenizer(config.outDir, setup.tokenizer, { modelMaxLength: maxPositions });
  return setup;
}

// Both sides of each pair, until trainLines pairs or until every corpus has been read once.
async function* trainingText(config: TrainConfig, counted: () => void): AsyncGenerator<string> {
  let read = 0;
  for await (const { pair, mix } of mixCorpora(config.corpora, new SkipCounts())) {
    if (mix.corpora.every((c) => c.epoch > 0) || read >= config.tokenizer.trainLines) return;
    read++;
    counted();
    yield pair.source;
    yield pair.target;
  }
}

function readTokenizerFile(path: string): Tokenizer {
  try {
    return Tokenizer.fromJSON(JSON.parse(readFileSync(path, 'utf8')) as unknown);
  } catch (error) {
    throw new Error(`cannot read tokenizer ${path}: ${(error as Error).message}; pass tokenizer.path to a tokenizer.json, or leave it out to train one`);
  }
}
