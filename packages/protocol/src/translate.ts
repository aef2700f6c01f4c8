// POST /v1/translate: one text or a batch, answered as JSON or streamed as Server-Sent Events.
import { z } from 'zod';
import { LIMITS } from './limits.ts';

export const LanguageCodeSchema = z
  .string()
  .regex(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{1,8})*$/, 'a language code such as "en", "es" or "es-ES"')
  .meta({ description: 'BCP-47 language code; a locale tag (es-ES, pt_BR) falls back to its base language', example: 'en' });

const SourceLanguageSchema = z.union([z.literal('auto'), LanguageCodeSchema]);

export const TextFormatSchema = z
  .enum(['text', 'html'])
  .meta({ id: 'TextFormat', description: '"html": only text nodes are translated (each on its own); markup, attributes, script, style and code stay as sent' });

export const DetectedLanguageSchema = z
  .object({
    language: z.string(),
    confidence: z.number().min(0).max(1).meta({ description: 'probability that the text is in `language`, among the languages the models know' }),
  })
  .meta({ id: 'DetectedLanguage' });

const TextSchema = z.string().max(LIMITS.maxCharsPerText, `at most ${LIMITS.maxCharsPerText} characters per text`);

export const TranslateOptionsSchema = z
  .object({
    beam_size: z.int().min(1).max(LIMITS.maxBeamSize).optional().meta({ description: '1 = greedy (streams token by token)' }),
    max_tokens: z.int().min(1).max(LIMITS.maxOutputTokens).optional().meta({ description: 'output tokens per sentence' }),
  })
  .strict();

export const TranslateRequestSchema = z
  .object({
    text: z.union([TextSchema, z.array(TextSchema).min(1).max(LIMITS.maxTextsPerBatch)]),
    source: SourceLanguageSchema.optional().meta({ description: 'omit, or "auto", to detect it among the sources of the models into `target`' }),
    target: LanguageCodeSchema,
    model: z.string().min(1).max(128).optional(),
    stream: z.boolean().optional(),
    format: TextFormatSchema.optional(),
    options: TranslateOptionsSchema.optional(),
  })
  .meta({ id: 'TranslateRequest' });

export const UsageSchema = z
  .object({
    input_tokens: z.int().nonnegative(),
    output_tokens: z.int().nonnegative(),
  })
  .meta({ id: 'Usage' });

export const FinishReasonSchema = z
  .enum(['stop', 'length'])
  .meta({ id: 'FinishReason', description: '"stop": the model ended the text; "length": a limit cut it (max_tokens, or the request\'s decode time)' });

export const TranslationSchema = z.object({
  text: z.string(),
  usage: UsageSchema,
  finish_reason: FinishReasonSchema,
});

export const TranslateResponseSchema = z
  .object({
    translations: z.array(TranslationSchema),
    model: z.string(),
    source: z.string(),
    target: z.string(),
    usage: UsageSchema,
    detected_language: DetectedLanguageSchema.optional().meta({ description: 'present when `source` was detected' }),
  })
  .meta({ id: 'TranslateResponse' });
