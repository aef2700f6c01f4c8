// A loaded model: tokenizer, int8 encoder/decoder sessions, and the scheduler that decodes every
// request's sentences together on them (packages/decoding StepScheduler, driven by step-driver.ts).
// Built from verified files by the ModelStore; knows nothing of HTTP.
import {
  createOnnxRowDecoder,
  createServingDecoder,
  type GenerationEvent,
  type RowDecoder,
  StepScheduler,
} from '@attend/decoding';
import { fromMarianConfig, type GenerationSettings, generationSettings, type Manifest, type TransformerConfig } from '@attend/model-spec';
import { LIMITS } from '@attend/protocol';
import { Tokenizer } from '@attend/tokenizer';
import { ModelUnavailableError } from '../models/model-error.ts';
import type { ModelFolder } from '../models/r2-model-files.ts';
import { CpuAccount } from './cpu-account.ts';
import { isolateRows, MAX_ENCODE_TOKENS, MAX_RUN_BYTES } from './isolate-rows.ts';
import { createSession, makeTensor, runSession, type Session, type Tensor } from './onnx-runtime.ts';
import { StepDriver } from './step-driver.ts';

export interface GenerateOptions {
  readonly numBeams: number;
  readonly maxTokens: number;
  readonly signal?: AbortSignal;
  /** Beam search: list this many best hypotheses per sentence (Translation.alternatives). */
  readonly numReturnSequences?: number;
  /** Per source, target token sequences its translation must contain (a glossary's terms, without EOS). */
  readonly constraints?: readonly (readonly (readonly number[])[] | undefined)[];
  /** The request's share of the shared decoder steps and its decode budget (one per request). */
  readonly account?: CpuAccount;
}

export interface Translator {
  readonly manifest: Manifest;
  readonly config: TransformerConfig;
  /** Longest source (EOS included) the model's positions cover. */
  readonly maxSourceTokens: number;
  /** Source ids of one sentence, ending with EOS. */
  encode(text: string): number[];
  /** Generated ids (without EOS) to text, as the deltas spell them. */
  decode(ids: number[]): string;
  /** Decoder runs so far by this model (one per step of the batch, or per row without serving graphs). */
  readonly decoderSteps: number;
  /**
   * Queues `sources` for decoding now (beside every other request's) and yields their events; ends
   * early, without `done`, once `options.account` is spent.
   */
  generate(sources: readonly (readonly number[])[], options: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined>;
  dispose(): void;
}

export async function buildTranslator(folder: ModelFolder): Promise<Translator> {
  const { manifest } = folder;
  const fail = (what: string, error: unknown): never => {
    throw new ModelUnavailableError(manifest.id, `${what}: ${error instanceof Error ? error.message : String(error)}`);
  };
  let config: TransformerConfig;
  let settings: GenerationSettings;
  let tokenizer: Tokenizer;
  try {
    config = fromMarianConfig(folder.config);
    settings = generationSettings(folder.config, config);
  } catch (error) {
    return fail('config.json is invalid', error);
  }
  try {
    tokenizer = Tokenizer.fromJSON(folder.tokenizerJson);
  } catch (error) {
    return fail('tokenizer.json is invalid', error);
  }
  const sessions: Session[] = [];
  const optimization = folder.serving ? 'basic' : 'all';
  try {
    sessions.push(await createSession(folder.encoder, optimization));
    sessions.push(await createSession(folder.decoder, optimization));
  } catch (error) {
    for (const session of sessions) void session.release();
    return fail('onnxruntime could not load the int8 graphs', error);
  }
  const [encoder, decoder] = sessions as [Session, Session];
  let decoderSteps = 0;
  const runtime = {
    runEncoder: (feeds: Record<string, Tensor>, fetches: readonly string[]) => runSession(encoder, feeds, fetches),
    runDecoder: (feeds: Record<string, Tensor>, fetches: readonly string[]) => {
      decoderSteps++;
      return runSession(decoder, feeds, fetches);
    },
    makeTensor,
    config,
  };
  const bytesPerToken = cacheBytesPerToken(config);
  const rows: RowDecoder<unknown> = folder.serving
    ? createServingDecoder({ ...runtime, maxRunTokens: Math.floor(MAX_RUN_BYTES / bytesPerToken), maxEncodeTokens: MAX_ENCODE_TOKENS })
    : createOnnxRowDecoder(runtime);
  const driver = new StepDriver(new StepScheduler(rows, isolateRows, bytesPerToken));
  const generation = {
    decode: (ids: number[]) => tokenizer.decode(ids),
    // the model folder's, whatever the request asks: every runtime loading the folder applies them
    badWordsIds: settings.badWordsIds,
    noRepeatNgramSize: settings.noRepeatNgramSize,
    specialTokens: { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId },
  };

  return {
    manifest,
    config,
    maxSourceTokens: config.maxPositions,
    get decoderSteps() {
      return decoderSteps;
    },
    encode: (text) => tokenizer.encode(text, { addEos: true }),
    decode: generation.decode,
    generate: (sources, options) =>
      driver.generate(
        sources,
        {
          ...generation,
          numBeams: options.numBeams,
          numReturnSequences: options.numReturnSequences,
          constraints: options.constraints,
          maxConstrainedBeams: LIMITS.maxBeamSize,
          // Positions past maxPositions do not exist in the sinusoid table.
          maxTokens: Math.min(options.maxTokens, config.maxPositions),
          signal: options.signal,
        },
        options.account ?? new CpuAccount(Number.POSITIVE_INFINITY),
      ),
    dispose: () => {
      void encoder.release();
      void decoder.release();
    },
  };
}

/** K and V of every decoder layer, float32: what one token adds to a row's self- or cross-attention cache. */
function cacheBytesPerToken(config: TransformerConfig): number {
  return 2 * config.decoderLayers * config.dModel * Float32Array.BYTES_PER_ELEMENT;
}
