export { Client, type Translate, type TranslateParams, type Models, type Languages } from './client.ts';
export { APIPromise, type WithResponse } from './api-promise.ts';
export { type ClientOptions, type RequestOptions, type Fetch } from './transport.ts';
export { TranslationStream, type TranslationStreamEvent } from './stream.ts';
export { SSEDecoder, iterateSSE, type ServerSentEvent } from './sse.ts';
export { type Sleep } from './retry.ts';
export { deltaConfidence, isDoubtful } from './confidence.ts';
export { parseGlossary } from './glossary-file.ts';
export {
  AttendError,
  APIError,
  APIUserAbortError,
  APIConnectionError,
  APIConnectionTimeoutError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  PayloadTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
} from './errors.ts';
export {
  LIMITS,
  CONFIDENCE,
  type ErrorType,
  type ErrorBody,
  type TranslateOptions,
  type GlossaryEntry,
  type WordConfidence,
  type Alternative,
  type TranslateRequest,
  type TranslateResponse,
  type Translation,
  type FinishReason,
  type Usage,
  type DetectedLanguage,
  type DetectRequest,
  type DetectResponse,
  type StreamEvent,
  type StartEvent,
  type DeltaEvent,
  type DoneEvent,
  type ErrorEvent,
  type Model,
  type ModelList,
  type LanguagePair,
  type LanguagesResponse,
} from './types.ts';
