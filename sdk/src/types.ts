// The wire types of the HTTP API, written out as plain interfaces so that the published .d.ts needs
// neither @attend/protocol nor zod. The checks at the bottom make any drift from packages/protocol a
// compile error, so these stay the protocol's types in all but name.
import type * as P from '@attend/protocol';

/** The closed set of error types; each maps to one HTTP status (see the protocol's ERROR_STATUS). */
export type ErrorType =
  | 'invalid_json'
  | 'invalid_request'
  | 'authentication_error'
  | 'not_found'
  | 'unsupported_language_pair'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal_error'
  | 'configuration_error'
  | 'model_unavailable';

/** Body of every non-2xx response. */
export interface ErrorBody {
  error: { type: ErrorType; message: string };
}

/** `options` of a translate request. */
export interface TranslateOptions {
  /** Beam width, 1 to `LIMITS.maxBeamSize`; 1 is greedy and streams token by token. */
  beam_size?: number | undefined;
  /** Output tokens per sentence, 1 to `LIMITS.maxOutputTokens`. */
  max_tokens?: number | undefined;
}

/** "html": only text nodes are translated, each on its own; markup, attributes, script, style and code stay as sent. */
export type TextFormat = 'text' | 'html';

/** Body of `POST /v1/translate`. */
export interface TranslateRequest {
  /** One text, or a batch of up to `LIMITS.maxTextsPerBatch`, each at most `LIMITS.maxCharsPerText` long. */
  text: string | string[];
  /** BCP-47 code (a locale tag such as es-ES or pt_BR falls back to its base language); omit, or "auto", to detect it. */
  source?: string | undefined;
  /** BCP-47 code of the output language. */
  target: string;
  /** Model id; defaults to the server's choice for the language pair. */
  model?: string | undefined;
  /** Answer as Server-Sent Events; the SDK sets it (use `translate.stream`). */
  stream?: boolean | undefined;
  /** "text" (the default) or "html". */
  format?: TextFormat | undefined;
  options?: TranslateOptions | undefined;
}

/** A detected language and the probability (0-1) that the text is in it, among the languages the models know. */
export interface DetectedLanguage {
  language: string;
  confidence: number;
}

/** Body of `POST /v1/detect`. */
export interface DetectRequest {
  text: string | string[];
}

/** Answer of `POST /v1/detect`: one detection per text, in order; confidence 0 when a text has no letters. */
export interface DetectResponse {
  detections: DetectedLanguage[];
}

/** Token counts. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
}

/** One translated text. */
/** "stop": the model ended the text; "length": a limit cut it (max_tokens, or the request's decode time). */
export type FinishReason = 'stop' | 'length';

export interface Translation {
  text: string;
  usage: Usage;
  finish_reason: FinishReason;
}

/** Answer of `POST /v1/translate`: one translation per input text, in order. */
export interface TranslateResponse {
  translations: Translation[];
  model: string;
  source: string;
  target: string;
  usage: Usage;
  /** Present when `source` was detected. */
  detected_language?: DetectedLanguage | undefined;
}

/** First event of a stream. `count` texts follow, with indices 0..count-1. */
export interface StartEvent {
  type: 'start';
  model: string;
  source: string;
  target: string;
  count: number;
  /** Present when `source` was detected. */
  detected_language?: DetectedLanguage | undefined;
}

/** A piece of text `index`'s translation; concatenated, the deltas equal `done.text`. */
export interface DeltaEvent {
  type: 'delta';
  index: number;
  text: string;
}

/** Text `index` is complete. */
export interface DoneEvent {
  type: 'done';
  index: number;
  text: string;
  usage: Usage;
  finish_reason: FinishReason;
}

/** The server failed mid-stream; the SDK throws it as an `APIError` instead of yielding it. */
export interface ErrorEvent {
  type: 'error';
  error: { type: ErrorType; message: string };
}

/** The closed union of stream events: `start`, then per text `delta`* and `done`; or `error`. */
export type StreamEvent = StartEvent | DeltaEvent | DoneEvent | ErrorEvent;

/** One servable model. */
export interface Model {
  id: string;
  source: string;
  target: string;
  /** ISO 8601. */
  created: string;
  size_bytes: number;
  /** Already in memory in the isolate that answered. */
  loaded: boolean;
}

/** Answer of `GET /v1/models`. */
export interface ModelList {
  models: Model[];
}

/** A source -> target pair and the model that serves it. */
export interface LanguagePair {
  source: string;
  target: string;
  model: string;
}

/** Answer of `GET /v1/languages`. */
export interface LanguagesResponse {
  /** Every code that appears as a source or a target. */
  languages: string[];
  pairs: LanguagePair[];
}

/** The server's request limits; check before sending to avoid a 413 or 422. */
export const LIMITS = {
  maxBodyBytes: 256 * 1024,
  maxCharsPerText: 2_000,
  maxTextsPerBatch: 32,
  maxOutputTokens: 512,
  defaultOutputTokens: 256,
  maxBeamSize: 8,
  maxOutputTokensPerRequest: 4_096,
  maxBeamTokensPerRequest: 8_192,
  decodeMsPerRequest: 20_000,
} as const;

// Exact equality, not mere assignability: an optional field added on one side only fails too.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Same<A, B> = [Equal<A, B>] extends [true] ? true : { drift: [A, B] };
type Conforms<T extends true> = T;
type ProtocolConformance = Conforms<
  | Same<ErrorType, P.ErrorType>
  | Same<ErrorBody, P.ErrorBody>
  | Same<TranslateOptions, P.TranslateOptions>
  | Same<TranslateRequest, P.TranslateRequest>
  | Same<TextFormat, P.TextFormat>
  | Same<DetectedLanguage, P.DetectedLanguage>
  | Same<DetectRequest, P.DetectRequest>
  | Same<DetectResponse, P.DetectResponse>
  | Same<TranslateResponse, P.TranslateResponse>
  | Same<StreamEvent, P.StreamEvent>
  | Same<ModelList, P.ModelList>
  | Same<LanguagesResponse, P.LanguagesResponse>
  | Same<typeof LIMITS, typeof P.LIMITS>
>;
