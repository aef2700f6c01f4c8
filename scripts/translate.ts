// `npm run translate -- --model DIR [--fp32] [--beam N] [--max-tokens N] "text" ...`
// Runs an exported model folder with onnxruntime-web's WASM backend on one thread, as the Worker
// does, and prints each translation as it streams. Ctrl-C stops decoding at the next token.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createOnnxSeq2Seq, createServingDecoder, type GenerationEvent, type GenerationOptions, generateStream, type RowDecoder, type Seq2SeqModel, type ServingRow, type Usage } from '@attend/decoding';
import { MODEL_FILES, SERVING_FILES, type TransformerConfig, fromMarianConfig, generationSettings } from '@attend/model-spec';
import { Tokenizer } from '@attend/tokenizer';
import * as ort from 'onnxruntime-web';
import { decodeScheduled } from './lib/scheduled-decoding.ts';

const USAGE = 'usage: npm run translate -- --model DIR [--fp32] [--beam N] [--max-tokens N] "text" ["more text" ...]';

export interface TranslateArgs {
  readonly model: string;
  readonly fp32: boolean;
  readonly beam: number;
  readonly maxTokens: number | undefined;
  readonly texts: readonly string[];
}

export function parseTranslateArgs(argv: readonly string[]): TranslateArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { model: { type: 'string' }, fp32: { type: 'boolean', default: false }, beam: { type: 'string' }, 'max-tokens': { type: 'string' } },
  });
  if (values.model === undefined) throw new Error(`--model DIR is required (an exported model folder)\n${USAGE}`);
  if (positionals.length === 0) throw new Error(`pass the text to translate\n${USAGE}`);
  return {
    model: values.model,
    fp32: values.fp32,
    beam: positiveInteger('--beam', values.beam ?? '1'),
    maxTokens: values['max-tokens'] === undefined ? undefined : positiveInteger('--max-tokens', values['max-tokens']),
    texts: positionals,
  };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

export interface Translator {
  /** The Hugging Face-layout graphs (what transformers.js runs). */
  readonly model: Seq2SeqModel;
  /** The int8 serving graphs, when the folder has them: what the worker decodes with. */
  readonly serving: RowDecoder<ServingRow> | undefined;
  readonly tokenizer: Tokenizer;
  readonly config: TransformerConfig;
  readonly badWordsIds: readonly (readonly number[])[];
  /** config.json's no_repeat_ngram_size (0: off): what every runtime loading the folder applies. */
  readonly noRepeatNgramSize: number;
}

/** Reads config.json, tokenizer.json and the two ONNX files of a model folder. */
export async function loadTranslator(dir: string, { fp32 = false } = {}): Promise<Translator> {
  const folder = resolve(dir);
  const isDirectory = await stat(folder).then((s) => s.isDirectory(), () => false);
  if (!isDirectory) throw new Error(`model folder ${folder} does not exist: pass --model with a folder written by the exporter`);
  const read = async (path: string, hint: string) => {
    try {
      return await readFile(join(folder, path));
    } catch {
      throw new Error(`${join(folder, path)} is missing: ${hint}`);
    }
  };
  const readJson = async (path: string) => {
    const text = (await read(path, 'the folder is not a complete export (config.json, tokenizer.json, onnx/*.onnx)')).toString('utf8');
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${join(folder, path)} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  const configJson = await readJson(MODEL_FILES.config);
  const config = fromMarianConfig(configJson);
  const tokenizer = Tokenizer.fromJSON(await readJson(MODEL_FILES.tokenizer));
  const other = fp32 ? 'drop --fp32 to use the int8 files' : 'pass --fp32 to use the fp32 files';
  const [encoderBytes, decoderBytes] = await Promise.all([
    read(fp32 ? MODEL_FILES.encoder : MODEL_FILES.encoderQuantized, other),
    read(fp32 ? MODEL_FILES.decoder : MODEL_FILES.decoderQuantized, other),
  ]);
  ort.env.wasm.numThreads = 1; // as in a Worker, which has no threads
  const options: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'] };
  const encoder = await ort.InferenceSession.create(encoderBytes, options);
  const decoder = await ort.InferenceSession.create(decoderBytes, options);
  const model = createOnnxSeq2Seq<ort.Tensor>({
    runEncoder: (feeds, fetches) => encoder.run(feeds, fetches),
    runDecoder: (feeds, fetches) => decoder.run(feeds, fetches),
    makeTensor: (type, data, dims) => new ort.Tensor(type, data, dims),
    config,
  });
  const { badWordsIds, noRepeatNgramSize } = generationSettings(configJson, config);
  const serving = fp32 ? undefined : await loadServing(folder, config, options);
  return { model, tokenizer, config, badWordsIds, noRepeatNgramSize, serving };
}

/** The folder's own decoding settings (special tokens, banned ids, repetition guard), `options` on top. */
export function generationOptions(translator: Translator, options: Omit<GenerationOptions, 'decode'> = {}): GenerationOptions {
  const { tokenizer, config, badWordsIds, noRepeatNgramSize } = translator;
  return {
    decode: (ids: number[]) => tokenizer.decode(ids),
    badWordsIds,
    noRepeatNgramSize,
    specialTokens: { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId },
    ...options,
  };
}

/** The serving graphs' row decoder, or undefined for a folder exported without them. */
async function loadServing(folder: string, config: TransformerConfig, options: ort.InferenceSession.SessionOptions): Promise<RowDecoder<ServingRow> | undefined> {
  const bytes = await Promise.all([SERVING_FILES.encoder, SERVING_FILES.decoder].map((path) => readFile(join(folder, path)).catch(() => undefined)));
  if (!bytes[0] || !bytes[1]) return undefined;
  const encoder = await ort.InferenceSession.create(bytes[0], options);
  const decoder = await ort.InferenceSession.create(bytes[1], options);
  return createServingDecoder<ort.Tensor>({
    runEncoder: (feeds, fetches) => encoder.run(feeds, fetches),
    runDecoder: (feeds, fetches) => decoder.run(feeds, fetches),
    makeTensor: (type, data, dims) => new ort.Tensor(type, data, dims),
    config,
    maxRunTokens: Number.POSITIVE_INFINITY, // the caller bounds the rows; Node's heap holds the caches
  });
}

/**
 * Translates one text, calling `write` with each delta; returns the text and token counts. With serving
 * graphs, as the worker decodes (its scheduler); otherwise on the Hugging Face graphs.
 */
export async function translateText(
  translator: Translator,
  text: string,
  options: { beam: number; maxTokens?: number | undefined; signal?: AbortSignal | undefined; write: (delta: string) => void },
): Promise<{ text: string; usage: Usage }> {
  const { model, serving, tokenizer } = translator;
  const source = tokenizer.encode(text, { addEos: true });
  const generation = generationOptions(translator, { numBeams: options.beam, maxTokens: options.maxTokens, signal: options.signal });
  const write = (event: GenerationEvent) => event.type === 'token' && event.delta !== '' && options.write(event.delta);
  if (serving) {
    const [translation] = await decodeScheduled(serving, [source], generation, options.beam, (_, event) => write(event));
    return { text: translation!.text, usage: translation!.usage };
  }
  for await (const event of generateStream(model, [source], generation)) {
    write(event);
    if (event.type === 'done') return { text: event.translation.text, usage: event.translation.usage };
  }
  throw new Error('generation ended without a result');
}

async function main(): Promise<void> {
  const args = parseTranslateArgs(process.argv.slice(2));
  const translator = await loadTranslator(args.model, { fp32: args.fp32 });
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  for (const text of args.texts) {
    const started = performance.now();
    const { usage } = await translateText(translator, text, {
      beam: args.beam,
      maxTokens: args.maxTokens,
      signal: controller.signal,
      write: (delta) => process.stdout.write(delta),
    });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write('\n');
    process.stderr.write(`[${usage.inputTokens} tokens in, ${usage.outputTokens} out, ${seconds.toFixed(2)} s]\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`translate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof Error && error.name === 'AbortError' ? 130 : 1;
  });
}
