// Greedy translation of a model folder in each runtime that loads it, for the cross-runtime tests:
// onnxruntime-node (native kernels of this CPU), onnxruntime-web (WASM, as the Worker runs it) and
// @huggingface/transformers in Node (its own tokenizer and generation loop on onnxruntime-node).
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createOnnxSeq2Seq, createServingDecoder, generate, RowBudget, StepScheduler, type Translation } from '@attend/decoding';
import { MODEL_FILES, SERVING_FILES, type TransformerConfig, fromMarianConfig, generationSettings, type GenerationSettings } from '@attend/model-spec';
import { Tokenizer } from '@attend/tokenizer';
import { AutoModelForSeq2SeqLM, AutoTokenizer, env } from '@huggingface/transformers';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

export type Runtime = 'node' | 'web';
export interface Greedy {
  readonly ids: number[][]; // generated ids, EOS included when the model ended the sentence
  readonly texts: string[];
}

/** Our decoding loop (@attend/decoding, as the worker uses it) on the folder's int8 or fp32 graphs. */
export async function ourGreedy(dir: string, runtime: Runtime, sources: readonly string[], options: { int8: boolean; maxTokens: number }): Promise<Greedy> {
  const ort = (runtime === 'node' ? ortNode : ortWeb) as typeof ortNode;
  if (runtime === 'web') ortWeb.env.wasm.numThreads = 1;
  const sessionOptions = runtime === 'node' ? { intraOpNumThreads: 1, interOpNumThreads: 1 } : { executionProviders: ['wasm'] };
  const open = async (file: string) => ort.InferenceSession.create(await readFile(join(dir, file)), sessionOptions);
  const [encoder, decoder] = await Promise.all([
    open(options.int8 ? MODEL_FILES.encoderQuantized : MODEL_FILES.encoder),
    open(options.int8 ? MODEL_FILES.decoderQuantized : MODEL_FILES.decoder),
  ]);
  const { config, settings } = await readConfig(dir);
  const tokenizer = Tokenizer.fromJSON(JSON.parse(await readFile(join(dir, MODEL_FILES.tokenizer), 'utf8')));
  const model = createOnnxSeq2Seq<ortNode.Tensor>({
    runEncoder: (feeds) => encoder.run(feeds),
    runDecoder: (feeds) => decoder.run(feeds),
    makeTensor: (type, data, dims) => new ort.Tensor(type, data, [...dims]),
    config,
  });
  const ids: number[][] = [];
  const texts: string[] = [];
  for (const source of sources) {
    // one sentence at a time, as transformers.js decodes them
    const result = await generate(model, [tokenizer.encode(source, { addEos: true })], {
      decode: (row) => tokenizer.decode(row),
      maxTokens: options.maxTokens,
      maxLengthRatio: 100,
      ...settings,
      specialTokens: { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId },
    });
    const t = result.translations[0]!;
    ids.push(t.finishReason === 'eos' ? [...t.ids, config.eosId] : [...t.ids]);
    texts.push(t.text);
  }
  await Promise.all([encoder.release(), decoder.release()]);
  return { ids, texts };
}

/**
 * The worker's decoding (@attend/decoding's StepScheduler on the serving graphs, onnxruntime-web) of
 * every source, `together` in shared decoder runs (source i joining at step i mod 7, as requests
 * arrive) or each alone.
 */
export async function servingTranslations(dir: string, sources: readonly string[], options: { together: boolean; maxTokens: number; numBeams: number }): Promise<Translation[]> {
  ortWeb.env.wasm.numThreads = 1;
  const open = async (file: string) => ortWeb.InferenceSession.create(await readFile(join(dir, file)), { executionProviders: ['wasm'] });
  const [encoder, decoder] = await Promise.all([open(SERVING_FILES.encoder), open(SERVING_FILES.decoder)]);
  const { config, settings } = await readConfig(dir);
  const tokenizer = Tokenizer.fromJSON(JSON.parse(await readFile(join(dir, MODEL_FILES.tokenizer), 'utf8')));
  const rows = createServingDecoder<ortWeb.Tensor>({
    runEncoder: (feeds, fetches) => encoder.run(feeds, fetches),
    runDecoder: (feeds, fetches) => decoder.run(feeds, fetches),
    makeTensor: (type, data, dims) => new ortWeb.Tensor(type, data, [...dims]),
    config,
    maxRunTokens: 4096,
  });
  const scheduler = new StepScheduler(rows, new RowBudget({ maxRows: 1024, maxCacheBytes: 2 ** 40 }), 1);
  const generation = {
    decode: (ids: number[]) => tokenizer.decode(ids),
    maxTokens: options.maxTokens,
    numBeams: options.numBeams,
    ...settings,
    specialTokens: { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId },
  };
  const translations: Translation[] = [];
  const generations: ReturnType<typeof scheduler.submit>[] = [];
  const submit = (i: number) => (generations[i] = scheduler.submit([tokenizer.encode(sources[i]!, { addEos: true })], generation, {}));
  for (let step = 0; translations.filter(Boolean).length < sources.length; step++) {
    if (options.together) sources.forEach((_, i) => i % 7 === step && submit(i));
    else if (!scheduler.hasWork) submit(generations.length);
    await scheduler.tick();
    generations.forEach((events, i) => {
      for (const event of events.drain()) if (event.type === 'done') translations[i] = event.translation;
    });
  }
  await Promise.all([encoder.release(), decoder.release()]);
  return translations;
}

/**
 * The folder's config.json: the model and the generation settings every runtime applies (transformers.js
 * reads the same bad_words_ids and no_repeat_ngram_size from generation_config.json itself).
 */
async function readConfig(dir: string): Promise<{ config: TransformerConfig; settings: GenerationSettings }> {
  const json = JSON.parse(await readFile(join(dir, MODEL_FILES.config), 'utf8')) as Record<string, unknown>;
  const config = fromMarianConfig(json);
  return { config, settings: generationSettings(json, config) };
}

/** @huggingface/transformers on the folder unchanged: 'q8' loads onnx/*_quantized.onnx, 'fp32' the rest. */
export async function transformersGreedy(dir: string, sources: readonly string[], options: { int8: boolean; maxTokens: number }): Promise<Greedy> {
  env.allowRemoteModels = false;
  env.localModelPath = dirname(dir);
  const id = basename(dir);
  const [tokenizer, model] = await Promise.all([
    AutoTokenizer.from_pretrained(id),
    AutoModelForSeq2SeqLM.from_pretrained(id, { dtype: options.int8 ? 'q8' : 'fp32' }),
  ]);
  const ids: number[][] = [];
  const texts: string[] = [];
  for (const source of sources) {
    // Marian's forced_eos_token_id makes the last allowed token EOS: the limit counts it, as ours does
    const output = (await model.generate({ ...tokenizer(source), max_new_tokens: options.maxTokens, do_sample: false, num_beams: 1 })) as { tolist(): bigint[][] };
    const row = output.tolist()[0]!.slice(1).map(Number); // drop decoder_start
    ids.push(row);
    texts.push(tokenizer.decode(row, { skip_special_tokens: true }));
  }
  await model.dispose();
  return { ids, texts };
}
