// The benchmark's model folders: random int8 weights exported by packages/onnx with a BPE tokenizer
// trained on the corpus, and EOS made impossible so that every translation runs exactly to its length
// limit. Random weights translate to garbage; only the speed matters here.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Manifest, MODEL_FILES, type TransformerConfig } from '@attend/model-spec';
import { exportModel } from '@attend/onnx';
import type { Tokenizer } from '@attend/tokenizer';
import { randomWeights } from '../../packages/onnx/src/testing/random-weights.ts';

export interface BenchModel {
  readonly id: string;
  readonly dir: string;
  readonly config: TransformerConfig;
  /** Bytes of the int8 graphs the worker loads. */
  readonly int8Bytes: number;
}

const POSITION_SCALE = 3; // random positions: greedy output varies token to token, as real text does

export async function exportBenchModel(options: { id: string; dir: string; config: TransformerConfig; tokenizer: Tokenizer; seed: number }): Promise<BenchModel> {
  const { id, dir, config, tokenizer, seed } = options;
  await exportModel({
    config,
    weights: randomWeights(config, seed, POSITION_SCALE),
    tokenizerJson: tokenizer.toJSON(),
    tokenizerConfig: tokenizer.tokenizerConfig(),
    outDir: dir,
    id,
    source: 'en',
    target: 'es',
    keepFp32: false,
  });
  const manifest = await banEos(dir, config);
  const int8 = new Set<string>([MODEL_FILES.encoderQuantized, MODEL_FILES.decoderQuantized]);
  const int8Bytes = manifest.files.filter((f) => int8.has(f.path)).reduce((sum, f) => sum + f.size, 0);
  return { id, dir, config, int8Bytes };
}

/**
 * Adds </s> to config.json's bad_words_ids (the worker and packages/decoding both honour it; EOS is
 * still forced at the length limit), then rewrites the manifest entry so the worker's sha256 check
 * passes. Every request then costs exactly min(max_tokens, 2 * source + 10) decoder steps.
 */
export async function banEos(dir: string, config: TransformerConfig): Promise<Manifest> {
  const configPath = join(dir, MODEL_FILES.config);
  const json = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  json.bad_words_ids = [[config.padId], [config.eosId]];
  const bytes = new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`);
  await writeFile(configPath, bytes);
  const manifestPath = join(dir, MODEL_FILES.manifest);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const files = manifest.files.map((f) => (f.path === MODEL_FILES.config ? { ...f, size: bytes.length, sha256 } : f));
  const updated: Manifest = { ...manifest, files };
  await writeFile(manifestPath, `${JSON.stringify(updated, null, 2)}\n`);
  return updated;
}

/** config.json's bad_words_ids, as the worker reads them (inference/translator.ts). */
export async function readBadWords(dir: string): Promise<number[][]> {
  const json = JSON.parse(await readFile(join(dir, MODEL_FILES.config), 'utf8')) as { bad_words_ids?: number[][] };
  if (!json.bad_words_ids) throw new Error(`${dir}/${MODEL_FILES.config} has no bad_words_ids`);
  return json.bad_words_ids;
}
