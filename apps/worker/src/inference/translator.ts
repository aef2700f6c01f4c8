// A loaded model: tokenizer, int8 encoder/decoder sessions and the KV-cached decoding of
// packages/decoding over them. Built from verified files by the ModelStore; knows nothing of HTTP.
import { createOnnxSeq2Seq, type GenerationEvent, generateStream, type Seq2SeqModel } from '@attend/decoding';
import { fromMarianConfig, type Manifest, type TransformerConfig } from '@attend/model-spec';
import { Tokenizer } from '@attend/tokenizer';
import { ModelUnavailableError } from '../models/model-error.ts';
import type { ModelFolder } from '../models/r2-model-files.ts';
import { createSession, makeTensor, runSession, type Session, type Tensor } from './onnx-runtime.ts';

export interface GenerateOptions {
  readonly numBeams: number;
  readonly maxTokens: number;
  readonly signal?: AbortSignal;
}

export interface Translator {
  readonly manifest: Manifest;
  readonly config: TransformerConfig;
  /** Longest source (EOS included) the model's positions cover. */
  readonly maxSourceTokens: number;
  /** Source ids of one sentence, ending with EOS. */
  encode(text: string): number[];
  /** Decoder steps run so far by this model (one per generated token of a batch). */
  readonly decoderSteps: number;
  generate(sources: readonly (readonly number[])[], options: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined>;
  dispose(): void;
}

export async function buildTranslator(folder: ModelFolder): Promise<Translator> {
  const { manifest } = folder;
  const fail = (what: string, error: unknown): never => {
    throw new ModelUnavailableError(manifest.id, `${what}: ${error instanceof Error ? error.message : String(error)}`);
  };
  let config: TransformerConfig;
  let tokenizer: Tokenizer;
  try {
    config = fromMarianConfig(folder.config);
  } catch (error) {
    return fail('config.json is invalid', error);
  }
  try {
    tokenizer = Tokenizer.fromJSON(folder.tokenizerJson);
  } catch (error) {
    return fail('tokenizer.json is invalid', error);
  }
  const badWordsIds = readBadWords(folder.config, config);
  const sessions: Session[] = [];
  try {
    sessions.push(await createSession(folder.encoder));
    sessions.push(await createSession(folder.decoder));
  } catch (error) {
    for (const session of sessions) void session.release();
    return fail('onnxruntime could not load the int8 graphs', error);
  }
  const [encoder, decoder] = sessions as [Session, Session];
  let decoderSteps = 0;
  const model: Seq2SeqModel = createOnnxSeq2Seq<Tensor>({
    runEncoder: (feeds, fetches) => runSession(encoder, feeds, fetches),
    runDecoder: (feeds, fetches) => {
      decoderSteps++;
      return runSession(decoder, feeds, fetches);
    },
    makeTensor,
    config,
  });
  const decode = (ids: number[]) => tokenizer.decode(ids);
  const specialTokens = { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId };

  return {
    manifest,
    config,
    maxSourceTokens: config.maxPositions,
    get decoderSteps() {
      return decoderSteps;
    },
    encode: (text) => tokenizer.encode(text, { addEos: true }),
    generate: (sources, options) =>
      generateStream(model, sources, {
        decode,
        numBeams: options.numBeams,
        // Positions past maxPositions do not exist in the sinusoid table.
        maxTokens: Math.min(options.maxTokens, config.maxPositions),
        badWordsIds,
        specialTokens,
        signal: options.signal,
      }),
    dispose: () => {
      void encoder.release();
      void decoder.release();
    },
  };
}

function readBadWords(json: Record<string, unknown>, config: TransformerConfig): number[][] {
  const value = json.bad_words_ids;
  const valid = Array.isArray(value) && value.every((s) => Array.isArray(s) && s.length > 0 && s.every(Number.isInteger));
  return valid ? (value as number[][]) : [[config.padId]];
}
