// The LibreTranslate-compatible surface (POST /translate, GET /languages), so its clients work unchanged.
// https://github.com/LibreTranslate/LibreTranslate (API spec: /spec on any instance)
import { z } from 'zod';
import { LIMITS } from './limits.ts';

const Text = z.string().max(LIMITS.maxCharsPerText);

export const LibreTranslateRequestSchema = z
  .object({
    q: z.union([Text, z.array(Text).min(1).max(LIMITS.maxTextsPerBatch)]),
    source: z.string().min(1).meta({ description: '"auto" picks the only model into `target`' }),
    target: z.string().min(1),
    format: z.enum(['text', 'html']).optional(),
    api_key: z.string().optional(),
  })
  .meta({ id: 'LibreTranslateRequest' });

export const LibreTranslateResponseSchema = z
  .object({ translatedText: z.union([z.string(), z.array(z.string())]) })
  .meta({ id: 'LibreTranslateResponse' });

export const LibreLanguageSchema = z.object({ code: z.string(), name: z.string(), targets: z.array(z.string()) });
export const LibreLanguagesSchema = z.array(LibreLanguageSchema).meta({ id: 'LibreLanguages' });
