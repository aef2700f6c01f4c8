// The benchmark's model folders: random int8 weights exported by packages/onnx with a BPE tokenizer
// trained on the corpus. Random weights translate to garbage; only the speed matters, so the output
// bias steers them into a known shape: </s> never wins (every request runs exactly to its length
// limit, min(max_tokens, 2 * source + 10)), and only word-initial tokens do, so each token starts a
// word and the worker's text streamer releases a delta at every step from the second on, as it would
// for real text of one-token words.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FINAL_LOGITS_BIAS, type GenerationSettings, generationSettings, MODEL_FILES, type Manifest, SERVING_FILES, type TransformerConfig } from '@attend/model-spec';
import { exportModel } from '@attend/onnx';
import { METASPACE, type Tokenizer } from '@attend/tokenizer';
import { randomWeights } from '@attend/onnx/testing';

export interface BenchModel {
  readonly id: string;
  readonly dir: string;
  readonly config: TransformerConfig;
  /** Bytes of the int8 graphs the worker loads. */
  readonly int8Bytes: number;
}

const POSITION_SCALE = 3; // random positions: greedy output varies token to token, as real text does
const WORD_START_BIAS = 20; // random logits are O(1): a word-initial token always beats the others
const EOS_BIAS = -1e4; // never chosen; generation still forces </s> at the length limit

export async function exportBenchModel(options: { id: string; dir: string; config: TransformerConfig; tokenizer: Tokenizer; seed: number }): Promise<BenchModel> {
  const { id, dir, config, tokenizer, seed } = options;
  const weights = randomWeights(config, seed, POSITION_SCALE);
  steerOutput(weights.get(FINAL_LOGITS_BIAS)!, tokenizer, config);
  const manifest = await exportModel({
    config,
    weights,
    tokenizerJson: tokenizer.toJSON(),
    tokenizerConfig: tokenizer.tokenizerConfig(),
    outDir: dir,
    id,
    source: 'en',
    target: 'es',
    keepFp32: false,
  });
  const int8 = new Set<string>([SERVING_FILES.encoder, SERVING_FILES.decoder]); // what the worker loads
  const int8Bytes = manifest.files.filter((f) => int8.has(f.path)).reduce((sum, f) => sum + f.size, 0);
  return { id, dir, config, int8Bytes };
}

/**
 * The same model without its serving graphs, as `id`: the worker serves it from the Hugging Face
 * graphs, one row per decoder run, as it served every sentence before the scheduler.
 */
export async function withoutServingGraphs(model: BenchModel, id: string, dir: string): Promise<BenchModel> {
  const manifest = JSON.parse(await readFile(join(model.dir, MODEL_FILES.manifest), 'utf8')) as Manifest;
  const serving = new Set<string>(Object.values(SERVING_FILES));
  const files = manifest.files.filter((f) => !serving.has(f.path));
  for (const { path } of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await copyFile(join(model.dir, path), join(dir, path));
  }
  await writeFile(join(dir, MODEL_FILES.manifest), JSON.stringify({ ...manifest, id, files }, null, 2));
  return { ...model, id, dir };
}

/** logits = h E^T + final_logits_bias: raises every word-initial token, buries </s>. */
export function steerOutput(bias: Float32Array, tokenizer: Tokenizer, config: TransformerConfig): void {
  for (const [token, id] of Object.entries(tokenizer.toJSON().model.vocab)) {
    if (token.startsWith(METASPACE) && token.length > 1) bias[id] = bias[id]! + WORD_START_BIAS;
  }
  bias[config.eosId] = EOS_BIAS;
}

/**
 * config.json's bad_words_ids and no_repeat_ngram_size, as the worker reads them. exportBenchModel
 * leaves the repetition guard off: its steered garbage would otherwise change with it.
 */
export async function readGenerationSettings(dir: string, config: TransformerConfig): Promise<GenerationSettings> {
  return generationSettings(JSON.parse(await readFile(join(dir, MODEL_FILES.config), 'utf8')) as Record<string, unknown>, config);
}
