// The wire types of the HTTP API as plain TypeScript, with no runtime and no dependency, so the SDK
// can `import type` them alone. The zod schemas beside this file validate exactly these shapes
// (schema-types.ts fails to compile when they drift apart).
/** The closed set of error types; each has one HTTP status (ERROR_STATUS in errors.ts). */
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

export interface ErrorBody {
  error: { type: ErrorType; message: string };
}

/** A source term (matched ignoring case, at word boundaries) and the target term forced where it occurs. */
export interface GlossaryEntry {
  source: string;
  target: string;
}

export interface TranslateOptions {
  /** 1 = greedy (streams token by token); more = beam search of that width. */
  beam_size?: number | undefined;
  /** Output tokens per sentence. */
  max_tokens?: number | undefined;
  /** Each translation (and stream `done`) carries `words`: every word of the output with its confidence. */
  confidence?: boolean | undefined;
  /** The N best distinct translations as `alternatives`; beam search, beam_size at least N (default max(4, N)). */
  alternatives?: number | undefined;
  /** At most 100 entries, no two source terms overlapping. */
  glossary?: GlossaryEntry[] | undefined;
  /** A glossary the operator uploaded for the request's language pair. */
  glossary_id?: string | undefined;
}

/** "html": only text nodes are translated, each on its own; markup, attributes, script, style and code stay as sent. */
export type TextFormat = 'text' | 'html';

export interface TranslateRequest {
  text: string | string[];
  /** Omit, or "auto", to detect it among the sources of the models into `target`. A locale tag (es-ES, pt_BR) falls back to its base language. */
  source?: string | undefined;
  target: string;
  model?: string | undefined;
  stream?: boolean | undefined;
  format?: TextFormat | undefined;
  options?: TranslateOptions | undefined;
}

/** A detected language and the probability that the text is in it (0-1), among the languages the models know. */
export interface DetectedLanguage {
  language: string;
  confidence: number;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
}

/** "stop": the model ended the text; "length": a limit cut it (max_tokens, or the request's decode time). */
export type FinishReason = 'stop' | 'length';

/** A run of non-whitespace of a translation, its UTF-16 offset, and the probability the model gave it (below 0.3: doubtful). */
export interface WordConfidence {
  text: string;
  start: number;
  confidence: number;
}

/** One of the N best translations; score: log-probability per token, EOS included. */
export interface Alternative {
  text: string;
  score: number;
}

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

export interface TranslateResponse {
  translations: Translation[];
  model: string;
  source: string;
  target: string;
  usage: Usage;
  /** Present when `source` was detected. */
  detected_language?: DetectedLanguage | undefined;
}

export interface StartEvent {
  type: 'start';
  model: string;
  source: string;
  target: string;
  /** How many texts follow: indices 0..count-1. */
  count: number;
  /** Present when `source` was detected. */
  detected_language?: DetectedLanguage | undefined;
}

export interface DeltaEvent {
  type: 'delta';
  index: number;
  text: string;
  /** Natural-log probability of the tokens that wrote this delta, summed; 0 for text no token wrote. */
  logprob: number;
  /** How many tokens wrote this delta. */
  tokens: number;
}

export interface DoneEvent {
  type: 'done';
  index: number;
  /** The concatenation of this index's `delta` texts. */
  text: string;
  usage: Usage;
  finish_reason: FinishReason;
  mean_logprob: number;
  /** With `options.confidence`. */
  words?: WordConfidence[] | undefined;
  /** With `options.alternatives`. */
  alternatives?: Alternative[] | undefined;
}

export interface ErrorEvent {
  type: 'error';
  error: { type: ErrorType; message: string };
}

/** One SSE message's data; its `event:` field equals `type`. */
export type StreamEvent = StartEvent | DeltaEvent | DoneEvent | ErrorEvent;
export type StreamEventType = StreamEvent['type'];

export interface DetectRequest {
  text: string | string[];
}

export interface DetectResponse {
  /** One per text, in order; confidence 0 when a text has no letters. */
  detections: DetectedLanguage[];
}

export interface Model {
  id: string;
  source: string;
  target: string;
  created: string;
  size_bytes: number;
  loaded: boolean;
}

export interface ModelList {
  models: Model[];
}

export interface LanguagePair {
  source: string;
  target: string;
  model: string;
}

export interface LanguagesResponse {
  languages: string[];
  pairs: LanguagePair[];
}

export interface Health {
  status: 'ok' | 'degraded';
  models: number;
  loaded: string[];
  failed: { model: string; reason: string }[];
  wasm_heap_bytes: number;
}

export interface LibreTranslateRequest {
  q: string | string[];
  source: string;
  target: string;
  format?: 'text' | 'html' | undefined;
  /** Alternative translations wanted besides `translatedText`; fewer come back when the beam finds fewer distinct ones. */
  alternatives?: number | undefined;
  api_key?: string | undefined;
}

/** LibreTranslate's detection: confidence in percent. */
export interface LibreDetection {
  language: string;
  confidence: number;
}

export interface LibreTranslateResponse {
  translatedText: string | string[];
  /** When `source` is "auto"; one per text for a batch. */
  detectedLanguage?: LibreDetection | LibreDetection[] | undefined;
  /** When `alternatives` > 0; one list per text for a batch. */
  alternatives?: string[] | string[][] | undefined;
}

export interface LibreDetectRequest {
  q: string | string[];
  api_key?: string | undefined;
}

/** Most likely first. */
export type LibreDetectResponse = LibreDetection[];

/** What LibreTranslate's web UI reads before it shows anything. */
export interface LibreFrontendSettings {
  charLimit: number;
  frontendTimeout: number;
  apiKeys: boolean;
  keyRequired: boolean;
  suggestions: boolean;
  filesTranslation: boolean;
  supportedFilesFormat: string[];
  language: { source: { code: string; name: string }; target: { code: string; name: string } };
}

/** A named glossary as stored in R2 (`glossaries/<source>-<target>/<name>.json`). */
export interface StoredGlossary {
  format: 'attend-glossary/1';
  name: string;
  source: string;
  target: string;
  entries: GlossaryEntry[];
}

/** LibreTranslate's error body, on its own routes. */
export interface LibreErrorBody {
  error: string;
}

export interface LibreLanguage {
  code: string;
  name: string;
  targets: string[];
}
