export type {
  ErrorType,
  ErrorBody,
  TranslateOptions,
  TranslateRequest,
  Usage,
  Translation,
  FinishReason,
  TranslateResponse,
  StartEvent,
  DeltaEvent,
  DoneEvent,
  ErrorEvent,
  StreamEvent,
  StreamEventType,
  Model,
  ModelList,
  LanguagePair,
  LanguagesResponse,
  Health,
  LibreTranslateRequest,
  LibreTranslateResponse,
  LibreLanguage,
} from './types.ts';
export { LIMITS } from './limits.ts';
export { ERROR_STATUS, ERROR_TYPES, ErrorTypeSchema, ErrorBodySchema } from './errors.ts';
export {
  LanguageCodeSchema,
  TranslateOptionsSchema,
  TranslateRequestSchema,
  UsageSchema,
  TranslationSchema,
  FinishReasonSchema,
  TranslateResponseSchema,
} from './translate.ts';
export { StartEventSchema, DeltaEventSchema, DoneEventSchema, ErrorEventSchema, StreamEventSchema } from './events.ts';
export { ModelSchema, ModelListSchema, LanguagePairSchema, LanguagesResponseSchema, HealthSchema } from './models.ts';
export { LibreTranslateRequestSchema, LibreTranslateResponseSchema, LibreLanguageSchema, LibreLanguagesSchema } from './libretranslate.ts';
export { MIN_API_KEY_LENGTH, apiKeysProblem, configuredApiKeys } from './api-keys.ts';
