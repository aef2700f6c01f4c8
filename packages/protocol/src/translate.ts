// POST /v1/translate: one text or a batch, answered as JSON or streamed as Server-Sent Events.
import { z } from 'zod';
import { GlossaryIdSchema, GlossarySchema } from './glossary.ts';
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
    confidence: z.boolean().optional().meta({ description: 'each translation (and each stream `done`) carries `words`, every word of the output with its confidence' }),
    alternatives: z
      .int()
      .min(1)
      .max(LIMITS.maxBeamSize)
      .optional()
      .meta({ description: `the N best distinct translations, as \`alternatives\` on each translation; beam search, beam_size at least N (default max(${LIMITS.alternativesBeamSize}, N))` }),
    glossary: GlossarySchema.optional().meta({ description: "source terms whose target terms must appear where the source term occurs (ignoring case, at word boundaries); the sentences holding one are decoded with constrained beam search, so their deltas come when each such sentence is finished" }),
    glossary_id: GlossaryIdSchema.optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    const beams = options.beam_size;
    if (options.alternatives !== undefined && beams !== undefined && options.alternatives > beams) {
      ctx.addIssue({ code: 'custom', path: ['alternatives'], message: `${options.alternatives} alternatives need a beam of at least ${options.alternatives}, and beam_size is ${beams}: raise beam_size or ask for fewer` });
    }
    if (options.glossary !== undefined && options.glossary_id !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['glossary_id'], message: 'give either glossary (the entries) or glossary_id (an uploaded glossary), not both' });
    }
  });

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

export const WordConfidenceSchema = z
  .object({
    text: z.string(),
    start: z.int().nonnegative().meta({ description: "UTF-16 offset of the word in the translation's text" }),
    confidence: z.number().min(0).max(1).meta({ description: 'the probability the model gave the word: exp(summed log-probability of its tokens); below 0.3 it is doubtful' }),
  })
  .meta({ id: 'WordConfidence', description: 'a run of non-whitespace of the translation and how sure the model was of it' });

export const AlternativeSchema = z
  .object({
    text: z.string(),
    score: z.number().meta({ description: 'log-probability per token (EOS included) of this translation; higher is better' }),
  })
  .meta({ id: 'Alternative' });

export const MeanLogprobSchema = z.number().max(0).meta({ description: 'mean natural-log probability per generated token, EOS included' });

const AlternativesSchema = z.array(AlternativeSchema).meta({
  description: 'with `options.alternatives`: at most that many distinct translations, best first (the first is `text`); a text of several sentences joins their k-th best',
});

export const TranslationSchema = z.object({
  text: z.string(),
  usage: UsageSchema,
  finish_reason: FinishReasonSchema,
  mean_logprob: MeanLogprobSchema.optional(),
  words: z.array(WordConfidenceSchema).optional().meta({ description: 'with `options.confidence`: every word of `text`, in order' }),
  alternatives: AlternativesSchema.optional(),
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
