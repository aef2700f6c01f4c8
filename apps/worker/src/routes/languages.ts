// GET /v1/languages: every language code and the pairs the uploaded models translate. Public metadata, like
// LibreTranslate's GET /languages: no API key (rate-limited per client IP).
import { LanguagesResponseSchema } from '@attend/protocol';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { COMMON_ERRORS } from './schemas.ts';
import { validationHook } from '../errors.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listLanguages',
  summary: 'Languages and pairs',
  responses: { 200: { content: { 'application/json': { schema: LanguagesResponseSchema } }, description: 'Languages and pairs' }, ...COMMON_ERRORS },
});

export const languages = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const catalog = await c.var.models.catalog();
  const codes = new Set(catalog.flatMap((m) => [m.source, m.target]));
  const pairs = catalog.map((m) => ({ source: m.source, target: m.target, model: m.id }));
  return c.json({ languages: [...codes].sort(), pairs }, 200);
});
