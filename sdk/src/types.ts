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

/** A source term (matched ignoring case, at word boundaries) and the target term forced where it occurs. */
export interface GlossaryEntry {
  source: string;
  target: string;
}

/** `options` of a translate request. */
export interface TranslateOptions {
  /** Beam width, 1 to `LIMITS.maxBeamSize`; 1 is greedy and streams token by token. */
  beam_size?: number | undefined;
  /** Output tokens per sentence, 1 to `LIMITS.maxOutputTokens`. */
  max_tokens?: number | undefined;
  /** Each translation (and stream `done`) carries `words`: every word of the output with its confidence. */
  confidence?: boolean | undefined;
  /** The N best distinct translations as `alternatives`; beam search, beam_size at least N (default max(4, N)). */
  alternatives?: number | undefined;
  /** At most `LIMITS.maxGlossaryEntries` entries, no two source terms overlapping. */
  glossary?: GlossaryEntry[] | undefined;
  /** A glossary the operator uploaded for the request's language pair. */
  glossary_id?: string | undefined;
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

/** "stop": the model ended the text; "length": a limit cut it (max_tokens, or the request's decode time). */
export type FinishReason = 'stop' | 'length';

/** A word (run of non-whitespace) of a translation, its UTF-16 offset, and the probability the model gave it. */
export interface WordConfidence {
  text: string;
  start: number;
  /** 0-1; below `CONFIDENCE.doubtfulBelow` the word is doubtful. */
  confidence: number;
}

/** One of the N best translations; score: log-probability per token, EOS included (higher is better). */
export interface Alternative {
  text: string;
  score: number;
}

/** One translated text. */
export interface Translation {
  text: string;
  usage: Usage;
  finish_reason: FinishReason;
  /** Mean natural-log probability per generated token, EOS included. */
  mean_logprob?: number | undefined;
  /** With `options.confidence`: every word of `text`, in order. */
  words?: WordConfidence[] | undefined;
  /** With `options.alternatives`: distinct translations, best first (the first is `text`). */
  alternatives?: Alternative[] | undefined;
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

/**
 * A piece of text `index`'s translation, whole words; concatenated, the deltas equal `done.text`. A
 * sentence decoded with beam search (beam_size > 1, alternatives, or a glossary term in it) sends its
 * deltas when its search is over.
 */
export interface DeltaEvent {
  type: 'delta';
  index: number;
  text: string;
  /** Natural-log probability of the tokens that wrote this delta, summed; 0 for text no token wrote. See {@link deltaConfidence}. */
  logprob: number;
  /** How many tokens wrote this delta. */
  tokens: number;
}

/** Text `index` is complete. */
export interface DoneEvent {
  type: 'done';
  index: number;
  text: string;
  usage: Usage;
  finish_reason: FinishReason;
  /** Mean natural-log probability per generated token, EOS included. */
  mean_logprob: number;
  /** With `options.confidence`. */
  words?: WordConfidence[] | undefined;
  /** With `options.alternatives`. */
  alternatives?: Alternative[] | undefined;
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
  alternativesBeamSize: 4,
  maxGlossaryEntries: 100,
  maxStoredGlossaryEntries: 5_000,
  maxGlossaryTermChars: 100,
  maxGlossaryTermTokens: 16,
  maxOutputTokensPerRequest: 4_096,
  maxBeamTokensPerRequest: 8_192,
  decodeMsPerRequest: 20_000,
} as const;

/** A word whose confidence is below `doubtfulBelow` is doubtful: the web page underlines it, `translate --confidence` marks it. */
export const CONFIDENCE = {
  // Calibrated on en-es-tiny's greedy dev.tsv output: 71.3% of the words below it are absent from the reference.
  doubtfulBelow: 0.3,
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
  | Same<typeof CONFIDENCE, typeof P.CONFIDENCE>
  | Same<GlossaryEntry, P.GlossaryEntry>
  | Same<WordConfidence, P.WordConfidence>
  | Same<Alternative, P.Alternative>
  | Same<Translation, P.Translation>
>;
