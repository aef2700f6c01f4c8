// Writes a model folder as DESIGN.md lays it out ("The model artifact"): Marian config files, the
// tokenizer, the ONNX graphs (fp32 and/or int8; with int8, the worker's int8 serving graphs beside
// them), and manifest.json last, so that a folder without a manifest is known to be incomplete.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  MANIFEST_FORMAT,
  MODEL_FILES,
  SERVING_FILES,
  type Manifest,
  type ManifestFile,
  type TransformerConfig,
  type TranslatorInfo,
  toMarianConfig,
} from '@attend/model-spec';
import { buildDecoderGraph } from './decoder-graph.ts';
import { buildEncoderGraph } from './encoder-graph.ts';
import { encodeModel } from './onnx-proto.ts';
import { quantizeModel } from './quantize.ts';
import { buildServingDecoderGraph } from './serving-decoder-graph.ts';
import { buildServingEncoderGraph } from './serving-encoder-graph.ts';

export interface ExportOptions {
  readonly config: TransformerConfig;
  readonly weights: ReadonlyMap<string, Float32Array>; // Marian state dict (model-spec weightSpecs)
  readonly tokenizerJson: object; // Hugging Face tokenizer.json, written as given
  readonly tokenizerConfig: object; // tokenizer_config.json, written as given
  readonly outDir: string;
  readonly id: string; // model id, e.g. "en-es-tiny"
  readonly source: string;
  readonly target: string;
  readonly quantize?: boolean; // write onnx/*_quantized.onnx (int8), the serving graphs among them
  readonly keepFp32?: boolean; // write the fp32 graphs (parity checks)
  readonly translatorInfo?: Pick<TranslatorInfo, 'training' | 'metrics'>;
  readonly maxLength?: number; // generation_config max_length; default: the positional table's length
  readonly noRepeatNgramSize?: number; // no_repeat_ngram_size of both config files; default 0 (off)
}

/** generation_config.json: greedy by default (the worker asks for beams per request). */
export function generationConfig(config: TransformerConfig, maxLength = config.maxPositions, noRepeatNgramSize = 0) {
  return {
    decoder_start_token_id: config.decoderStartId,
    eos_token_id: config.eosId,
    forced_eos_token_id: config.eosId,
    pad_token_id: config.padId,
    bad_words_ids: [[config.padId]],
    no_repeat_ngram_size: noRepeatNgramSize,
    max_length: maxLength,
    num_beams: 1,
  };
}

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

export async function exportModel(options: ExportOptions): Promise<Manifest> {
  const { config, weights, outDir, quantize = true, keepFp32 = true, noRepeatNgramSize = 0 } = options;
  if (!quantize && !keepFp32) throw new Error('exportModel: nothing to write; set quantize or keepFp32');
  const files: ManifestFile[] = [];
  const write = async (path: string, bytes: Uint8Array) => {
    const full = join(outDir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, bytes);
    files.push({ path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  };

  const translator = { source: options.source, target: options.target, ...options.translatorInfo };
  await write(MODEL_FILES.config, json(toMarianConfig(config, translator, noRepeatNgramSize)));
  await write(MODEL_FILES.generationConfig, json(generationConfig(config, options.maxLength, noRepeatNgramSize)));
  await write(MODEL_FILES.tokenizer, json(options.tokenizerJson));
  await write(MODEL_FILES.tokenizerConfig, json(options.tokenizerConfig));
  // one graph at a time, so peak memory stays near one model's weights plus its encoding
  for (const [build, plain, quantized] of [
    [buildEncoderGraph, MODEL_FILES.encoder, MODEL_FILES.encoderQuantized],
    [buildDecoderGraph, MODEL_FILES.decoder, MODEL_FILES.decoderQuantized],
  ] as const) {
    const model = build(config, weights);
    if (keepFp32) await write(plain, encodeModel(model));
    if (quantize) await write(quantized, encodeModel(quantizeModel(model)));
  }
  if (quantize) {
    await write(SERVING_FILES.encoder, encodeModel(quantizeModel(buildServingEncoderGraph(config, weights), { contribOps: true })));
    await write(SERVING_FILES.decoder, encodeModel(quantizeModel(buildServingDecoderGraph(config, weights), { contribOps: true })));
  }

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    id: options.id,
    source: options.source,
    target: options.target,
    created: new Date().toISOString(),
    files: files.sort((a, b) => a.path.localeCompare(b.path)),
  };
  await writeFile(join(outDir, MODEL_FILES.manifest), json(manifest));
  return manifest;
}
