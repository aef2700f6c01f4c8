// Compile-time proof that every schema validates exactly its wire type in types.ts: a drift makes
// `npm run typecheck` fail here.
import type { z } from 'zod';
import type { ErrorBodySchema } from './errors.ts';
import type { DeltaEventSchema, DoneEventSchema, ErrorEventSchema, StartEventSchema, StreamEventSchema } from './events.ts';
import type { DetectRequestSchema, DetectResponseSchema } from './detect.ts';
import type {
  LibreDetectionSchema,
  LibreDetectRequestSchema,
  LibreDetectResponseSchema,
  LibreErrorBodySchema,
  LibreFrontendSettingsSchema,
  LibreLanguageSchema,
  LibreTranslateRequestSchema,
  LibreTranslateResponseSchema,
} from './libretranslate.ts';
import type { GlossaryEntrySchema, StoredGlossarySchema } from './glossary.ts';
import type { HealthSchema, LanguagesResponseSchema, ModelListSchema, ModelSchema } from './models.ts';
import type {
  AlternativeSchema,
  DetectedLanguageSchema,
  TextFormatSchema,
  TranslateRequestSchema,
  TranslateResponseSchema,
  UsageSchema,
  WordConfidenceSchema,
} from './translate.ts';
import type * as T from './types.ts';

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
type Same<S extends z.ZodType, W> = Equals<z.infer<S>, W>;
type AllTrue<T extends readonly true[]> = T;

export type SchemaTypeChecks = AllTrue<[
  Same<typeof ErrorBodySchema, T.ErrorBody>,
  Same<typeof TranslateRequestSchema, T.TranslateRequest>,
  Same<typeof UsageSchema, T.Usage>,
  Same<typeof TranslateResponseSchema, T.TranslateResponse>,
  Same<typeof StartEventSchema, T.StartEvent>,
  Same<typeof DeltaEventSchema, T.DeltaEvent>,
  Same<typeof DoneEventSchema, T.DoneEvent>,
  Same<typeof ErrorEventSchema, T.ErrorEvent>,
  Same<typeof StreamEventSchema, T.StreamEvent>,
  Same<typeof ModelSchema, T.Model>,
  Same<typeof ModelListSchema, T.ModelList>,
  Same<typeof LanguagesResponseSchema, T.LanguagesResponse>,
  Same<typeof HealthSchema, T.Health>,
  Same<typeof LibreTranslateRequestSchema, T.LibreTranslateRequest>,
  Same<typeof LibreTranslateResponseSchema, T.LibreTranslateResponse>,
  Same<typeof LibreLanguageSchema, T.LibreLanguage>,
  Same<typeof TextFormatSchema, T.TextFormat>,
  Same<typeof DetectedLanguageSchema, T.DetectedLanguage>,
  Same<typeof DetectRequestSchema, T.DetectRequest>,
  Same<typeof DetectResponseSchema, T.DetectResponse>,
  Same<typeof LibreDetectionSchema, T.LibreDetection>,
  Same<typeof LibreDetectRequestSchema, T.LibreDetectRequest>,
  Same<typeof LibreDetectResponseSchema, T.LibreDetectResponse>,
  Same<typeof LibreFrontendSettingsSchema, T.LibreFrontendSettings>,
  Same<typeof LibreErrorBodySchema, T.LibreErrorBody>,
  Same<typeof GlossaryEntrySchema, T.GlossaryEntry>,
  Same<typeof StoredGlossarySchema, T.StoredGlossary>,
  Same<typeof WordConfidenceSchema, T.WordConfidence>,
  Same<typeof AlternativeSchema, T.Alternative>,
]>;
