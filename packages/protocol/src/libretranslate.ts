// The LibreTranslate-compatible surface (POST /translate, POST /detect, GET /languages, GET
// /frontend/settings), so its clients and its web UI work unchanged. Its errors are `{ "error": message }`.
// https://github.com/LibreTranslate/LibreTranslate (API spec: /spec on any instance)
import { z } from 'zod';
import { LIMITS } from './limits.ts';

const Text = z.string().max(LIMITS.maxCharsPerText);
const Texts = z.union([Text, z.array(Text).min(1).max(LIMITS.maxTextsPerBatch)]);

export const LibreTranslateRequestSchema = z
  .object({
    q: Texts,
    source: z.string().min(1).meta({ description: '"auto" detects it; a locale tag (pt_BR) falls back to its base language' }),
    target: z.string().min(1),
    format: z.enum(['text', 'html']).optional(),
    // Form bodies carry it as a string ("3"): coerced, as LibreTranslate's int() does.
    // Besides translatedText, as argos-translate's num_hypotheses - 1: the beam must hold all of them.
    alternatives: z.coerce.number().int().min(0).max(LIMITS.maxBeamSize - 1).optional().meta({ description: 'alternative translations wanted besides `translatedText`; fewer come back when the beam finds fewer distinct ones' }),
    api_key: z.string().optional(),
  })
  .meta({ id: 'LibreTranslateRequest' });

export const LibreDetectionSchema = z.object({
  language: z.string(),
  confidence: z.number().min(0).max(100).meta({ description: 'percent' }),
});

export const LibreTranslateResponseSchema = z
  .object({
    translatedText: z.union([z.string(), z.array(z.string())]),
    detectedLanguage: z.union([LibreDetectionSchema, z.array(LibreDetectionSchema)]).optional().meta({ description: 'when `source` is "auto"; one per text for a batch' }),
    alternatives: z.union([z.array(z.string()), z.array(z.array(z.string()))]).optional().meta({ description: 'when `alternatives` > 0' }),
  })
  .meta({ id: 'LibreTranslateResponse' });

export const LibreDetectRequestSchema = z.object({ q: Texts, api_key: z.string().optional() }).meta({ id: 'LibreDetectRequest' });

export const LibreDetectResponseSchema = z.array(LibreDetectionSchema).meta({ id: 'LibreDetectResponse', description: 'most likely first' });

export const LibreLanguageSchema = z.object({ code: z.string(), name: z.string(), targets: z.array(z.string()) });
export const LibreLanguagesSchema = z.array(LibreLanguageSchema).meta({ id: 'LibreLanguages' });

const LibreLanguageNameSchema = z.object({ code: z.string(), name: z.string() });

export const LibreFrontendSettingsSchema = z
  .object({
    charLimit: z.int(),
    frontendTimeout: z.int().meta({ description: 'ms the web UI waits after typing before it translates' }),
    apiKeys: z.boolean(),
    keyRequired: z.boolean(),
    suggestions: z.boolean(),
    filesTranslation: z.boolean(),
    supportedFilesFormat: z.array(z.string()),
    language: z.object({ source: LibreLanguageNameSchema, target: LibreLanguageNameSchema }),
  })
  .meta({ id: 'LibreFrontendSettings' });

export const LibreErrorBodySchema = z.object({ error: z.string() }).meta({ id: 'LibreErrorBody' });
