export type {
  ErrorType,
  ErrorBody,
  TranslateOptions,
  GlossaryEntry,
  StoredGlossary,
  WordConfidence,
  Alternative,
  TranslateRequest,
  TextFormat,
  DetectedLanguage,
  DetectRequest,
  DetectResponse,
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
  LibreDetection,
  LibreDetectRequest,
  LibreDetectResponse,
  LibreFrontendSettings,
  LibreErrorBody,
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
  TextFormatSchema,
  DetectedLanguageSchema,
  WordConfidenceSchema,
  AlternativeSchema,
} from './translate.ts';
export { GlossaryEntrySchema, GlossarySchema, GlossaryIdSchema, StoredGlossarySchema, GLOSSARY_FORMAT, GLOSSARY_PREFIX, glossaryKey } from './glossary.ts';
export { parseGlossaryFile } from './glossary-file.ts';
export { TermMatcher, type TermMatch } from './glossary-terms.ts';
export { CONFIDENCE, DeltaLogprobs, type DeltaScore, wordConfidences } from './confidence.ts';
export { DetectRequestSchema, DetectResponseSchema } from './detect.ts';
export { StartEventSchema, DeltaEventSchema, DoneEventSchema, ErrorEventSchema, StreamEventSchema } from './events.ts';
export { ModelSchema, ModelListSchema, LanguagePairSchema, LanguagesResponseSchema, HealthSchema } from './models.ts';
export {
  LibreTranslateRequestSchema,
  LibreTranslateResponseSchema,
  LibreLanguageSchema,
  LibreLanguagesSchema,
  LibreDetectionSchema,
  LibreDetectRequestSchema,
  LibreDetectResponseSchema,
  LibreFrontendSettingsSchema,
  LibreErrorBodySchema,
} from './libretranslate.ts';
export { MIN_API_KEY_LENGTH, apiKeysProblem, configuredApiKeys } from './api-keys.ts';
