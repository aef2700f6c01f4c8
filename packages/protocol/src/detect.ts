// POST /v1/detect: which language each text is in, among the languages the uploaded models know.
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { DetectedLanguageSchema } from './translate.ts';

const TextSchema = z.string().max(LIMITS.maxCharsPerText, `at most ${LIMITS.maxCharsPerText} characters per text`);

export const DetectRequestSchema = z
  .object({ text: z.union([TextSchema, z.array(TextSchema).min(1).max(LIMITS.maxTextsPerBatch)]) })
  .meta({ id: 'DetectRequest' });

export const DetectResponseSchema = z
  .object({
    detections: z.array(DetectedLanguageSchema).meta({ description: 'one per text, in order; confidence 0 when a text has no letters' }),
  })
  .meta({ id: 'DetectResponse' });
