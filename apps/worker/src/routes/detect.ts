// POST /v1/detect: the language of each text, among the languages the uploaded models know
// (language-id/detect-language.ts), so a client can pick `source` or show what it will translate from.
import { DetectRequestSchema, DetectResponseSchema } from '@attend/protocol';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { ApiError, validationHook } from '../errors.ts';
import { detectLanguage } from '../language-id/detect-language.ts';
import { knownLanguages } from '../translation/resolve-model.ts';
import { ERROR_RESPONSES, SECURITY } from './schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'detectLanguage',
  summary: 'Detect the language of one text or a batch',
  security: SECURITY,
  request: { body: { content: { 'application/json': { schema: DetectRequestSchema } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: DetectResponseSchema } }, description: 'One detection per text' },
    ...ERROR_RESPONSES,
  },
});

export const detect = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const { text } = c.req.valid('json');
  const languages = await knownLanguages(c.var.models);
  if (languages.length === 0) throw new ApiError('model_unavailable', 'no model is uploaded to the R2 bucket MODELS yet; export one and upload its folder');
  const detections = await Promise.all(
    (typeof text === 'string' ? [text] : text).map(async (one) => {
      const [best] = await detectLanguage(one, languages);
      return { language: best!.language, confidence: Math.round(best!.confidence * 1000) / 1000 };
    }),
  );
  return c.json({ detections }, 200);
});
