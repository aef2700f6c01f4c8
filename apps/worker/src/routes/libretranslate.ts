// LibreTranslate's API (POST /translate, GET /languages), so its existing clients work unchanged.
// `format: "html"` is translated as plain text. Errors use this API's `{ error: { type, message } }`.
import { LibreLanguagesSchema, LibreTranslateRequestSchema, LibreTranslateResponseSchema, LIMITS, type LibreTranslateRequest } from '@attend/protocol';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { validationError, validationHook } from '../errors.ts';
import { planRequest } from '../translation/request-plan.ts';
import { resolveModel } from '../translation/resolve-model.ts';
import { ERROR_RESPONSES, SECURITY } from './schemas.ts';
import { translateToJson } from './translate.ts';

const translateRoute = createRoute({
  method: 'post',
  path: '/translate',
  summary: 'LibreTranslate-compatible translation',
  security: SECURITY,
  request: {
    body: {
      content: {
        'application/json': { schema: LibreTranslateRequestSchema },
        'application/x-www-form-urlencoded': { schema: LibreTranslateRequestSchema },
        'multipart/form-data': { schema: LibreTranslateRequestSchema },
      },
    },
  },
  responses: {
    200: { content: { 'application/json': { schema: LibreTranslateResponseSchema } }, description: '`translatedText` mirrors `q`' },
    ...ERROR_RESPONSES,
  },
});

const languagesRoute = createRoute({
  method: 'get',
  path: '/languages',
  summary: 'LibreTranslate-compatible language list',
  responses: { 200: { content: { 'application/json': { schema: LibreLanguagesSchema } }, description: 'Sources and their targets' } },
});

export const libretranslate = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(translateRoute, async (c) => {
    // Each validator runs only for its own media type; the unmatched one leaves `{}` behind.
    const form = /form/i.test(c.req.header('Content-Type') ?? '');
    const body = LibreTranslateRequestSchema.safeParse(form ? c.req.valid('form') : c.req.valid('json'));
    if (!body.success) throw validationError(body.error.issues);
    const request: LibreTranslateRequest = body.data;
    const manifest = await resolveModel(c.var.models, { source: request.source, target: request.target });
    const texts = typeof request.q === 'string' ? [request.q] : request.q;
    const lease = await c.var.models.acquire(manifest.id);
    try {
      const options = { numBeams: 1, maxTokens: LIMITS.defaultOutputTokens, signal: c.req.raw.signal };
      const result = await translateToJson(lease.model, planRequest(lease.model, texts, options), options);
      c.set('logFields', { model: result.model, ...result.usage });
      const translated = result.translations.map((t) => t.text);
      return c.json({ translatedText: typeof request.q === 'string' ? translated[0]! : translated }, 200);
    } finally {
      lease.release();
    }
  })
  .openapi(languagesRoute, async (c) => {
    const catalog = await c.var.models.catalog();
    const targets = new Map<string, Set<string>>();
    for (const m of catalog) targets.set(m.source, (targets.get(m.source) ?? new Set()).add(m.target));
    const names = new Intl.DisplayNames(['en'], { type: 'language' });
    const languages = [...targets].map(([code, to]) => ({ code, name: names.of(code) ?? code, targets: [...to].sort() }));
    return c.json(languages, 200);
  });
