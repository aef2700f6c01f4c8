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

export interface TranslateOptions {
  /** 1 = greedy (streams token by token); more = beam search of that width. */
  beam_size?: number | undefined;
  /** Output tokens per sentence. */
  max_tokens?: number | undefined;
}

export interface TranslateRequest {
  text: string | string[];
  /** Omit when only one model translates into `target`. */
  source?: string | undefined;
  target: string;
  model?: string | undefined;
  stream?: boolean | undefined;
  options?: TranslateOptions | undefined;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
}

/** "stop": the model ended the text; "length": a limit cut it (max_tokens, or the request's decode time). */
export type FinishReason = 'stop' | 'length';

export interface Translation {
  text: string;
  usage: Usage;
  finish_reason: FinishReason;
}

export interface TranslateResponse {
  translations: Translation[];
  model: string;
  source: string;
  target: string;
  usage: Usage;
}

export interface StartEvent {
  type: 'start';
  model: string;
  source: string;
  target: string;
  /** How many texts follow: indices 0..count-1. */
  count: number;
}

export interface DeltaEvent {
  type: 'delta';
  index: number;
  text: string;
}

export interface DoneEvent {
  type: 'done';
  index: number;
  /** The concatenation of this index's `delta` texts. */
  text: string;
  usage: Usage;
  finish_reason: FinishReason;
}

export interface ErrorEvent {
  type: 'error';
  error: { type: ErrorType; message: string };
}

/** One SSE message's data; its `event:` field equals `type`. */
export type StreamEvent = StartEvent | DeltaEvent | DoneEvent | ErrorEvent;
export type StreamEventType = StreamEvent['type'];

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
  api_key?: string | undefined;
}

export interface LibreTranslateResponse {
  translatedText: string | string[];
}

export interface LibreLanguage {
  code: string;
  name: string;
  targets: string[];
}
