// POST /v1/translate: one text or a batch, answered as JSON or streamed as Server-Sent Events.
import { z } from 'zod';
import { LIMITS } from './limits.ts';

export const LanguageCodeSchema = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'a language code such as "en" or "es"')
  .meta({ description: 'BCP-47 language code', example: 'en' });

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
    source: LanguageCodeSchema.optional().meta({ description: 'omit when only one model translates into `target`' }),
    target: LanguageCodeSchema,
    model: z.string().min(1).max(128).optional(),
    stream: z.boolean().optional(),
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
  })
  .meta({ id: 'TranslateResponse' });
