// LibreTranslate's API (POST /translate, POST /detect, GET /languages, GET /frontend/settings), so its
// clients and its web UI work unchanged: "auto" detects the source and answers `detectedLanguage`
// (confidence in percent), a text already in the target language comes back as it is (as
// argos-translate's identity translation does), `alternatives: N` asks for the N + 1 best (beam search
// of at least 4) and answers all but the first, fewer when the beam finds fewer distinct ones,
// `format: "html"` translates text nodes only. Errors on these routes are its
// `{ "error": message }` (libreErrors()), with this API's statuses.
import {
  configuredApiKeys,
  LibreDetectRequestSchema,
  LibreDetectResponseSchema,
  LibreErrorBodySchema,
  LibreFrontendSettingsSchema,
  LibreLanguagesSchema,
  LibreTranslateRequestSchema,
  LibreTranslateResponseSchema,
  LIMITS,
  type LibreFrontendSettings,
  type LibreTranslateResponse,
  type Translation,
} from '@attend/protocol';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { ApiError, validationError, validationHook } from '../errors.ts';
import { detectLanguage } from '../language-id/detect-language.ts';
import { type HtmlSplit, splitHtml } from '../translation/html.ts';
import { planRequest } from '../translation/request-plan.ts';
import { chooseSource, knownLanguages, languageFit, resolveModel } from '../translation/resolve-model.ts';
import { ERROR_RESPONSES, SECURITY } from './schemas.ts';
import { translateToJson } from './translate.ts';
import { beamSize } from './translate-options.ts';

/** ERROR_RESPONSES with LibreTranslate's body. */
const LIBRE_ERRORS = Object.fromEntries(
  Object.entries(ERROR_RESPONSES).map(([status, { description }]) => [status, { description, content: { 'application/json': { schema: LibreErrorBodySchema } } }]),
);

const formOrJson = <T extends z.ZodType>(schema: T) => ({
  content: {
    'application/json': { schema },
    'application/x-www-form-urlencoded': { schema },
    'multipart/form-data': { schema },
  },
});

const translateRoute = createRoute({
  method: 'post',
  path: '/translate',
  operationId: 'libreTranslate',
  summary: 'LibreTranslate-compatible translation',
  security: SECURITY,
  request: { body: formOrJson(LibreTranslateRequestSchema) },
  responses: {
    200: { content: { 'application/json': { schema: LibreTranslateResponseSchema } }, description: '`translatedText` mirrors `q`' },
    ...LIBRE_ERRORS,
  },
});

const detectRoute = createRoute({
  method: 'post',
  path: '/detect',
  operationId: 'libreDetect',
  summary: 'LibreTranslate-compatible language detection',
  security: SECURITY,
  request: { body: formOrJson(LibreDetectRequestSchema) },
  responses: {
    200: { content: { 'application/json': { schema: LibreDetectResponseSchema } }, description: 'The languages the models know, most likely first' },
    ...LIBRE_ERRORS,
  },
});

const languagesRoute = createRoute({
  method: 'get',
  path: '/languages',
  operationId: 'libreLanguages',
  summary: 'LibreTranslate-compatible language list',
  responses: { 200: { content: { 'application/json': { schema: LibreLanguagesSchema } }, description: 'Sources and their targets' } },
});

const settingsRoute = createRoute({
  method: 'get',
  path: '/frontend/settings',
  operationId: 'libreFrontendSettings',
  summary: "Settings LibreTranslate's web UI reads first",
  responses: { 200: { content: { 'application/json': { schema: LibreFrontendSettingsSchema } }, description: 'Limits, key use, default languages' } },
});

/** The body of a route that takes JSON or a form: each validator runs only for its own media type. */
function libreBody<T extends z.ZodType>(c: Context<AppEnv>, schema: T, valid: { form: unknown; json: unknown }): z.infer<T> {
  const form = /form/i.test(c.req.header('Content-Type') ?? '');
  const body = schema.safeParse(form ? valid.form : valid.json);
  if (!body.success) throw validationError(body.error.issues);
  return body.data;
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const languageName = (code: string) => languageNames.of(code) ?? code;

export const libretranslate = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(translateRoute, async (c) => {
    const request = libreBody(c, LibreTranslateRequestSchema, { form: c.req.valid('form'), json: c.req.valid('json') });
    const texts = typeof request.q === 'string' ? [request.q] : request.q;
    const docs = request.format === 'html' ? texts.map(splitHtml) : undefined;
    const sources = docs ? docs.flatMap((doc) => doc.texts) : texts;
    const { source, detected } = await chooseSource(c.var.models, request, sources, true);
    const sameLanguage = source !== undefined && languageFit(request.target, source) > 0 && (await knownLanguages(c.var.models)).some((l) => languageFit(request.target, l) > 0);
    const alternatives = request.alternatives ?? 0;
    const translated: Pick<Translation, 'text' | 'alternatives'>[] = sameLanguage
      ? texts.map((text) => ({ text }))
      : await translateTexts(c, { source, target: request.target }, alternatives, sources, docs, texts.length);
    const single = typeof request.q === 'string';
    const response: LibreTranslateResponse = { translatedText: single ? translated[0]!.text : translated.map((t) => t.text) };
    if (request.source.toLowerCase() === 'auto' && detected) {
      const detection = { language: detected.language, confidence: Math.round(detected.confidence * 100) };
      response.detectedLanguage = single ? detection : texts.map(() => detection);
    }
    if (alternatives > 0) {
      const others = translated.map((t) => (t.alternatives ?? []).slice(1, alternatives + 1).map((a) => a.text));
      response.alternatives = single ? others[0]! : others;
    }
    return c.json(response, 200);
  })
  .openapi(detectRoute, async (c) => {
    const request = libreBody(c, LibreDetectRequestSchema, { form: c.req.valid('form'), json: c.req.valid('json') });
    const languages = await knownLanguages(c.var.models);
    if (languages.length === 0) throw new ApiError('model_unavailable', 'no model is uploaded to the R2 bucket MODELS yet; export one and upload its folder');
    const ranking = await detectLanguage(typeof request.q === 'string' ? request.q : request.q.join('\n'), languages);
    const percent = ranking.map(({ language, confidence }) => ({ language, confidence: Math.round(confidence * 100) }));
    return c.json(percent.filter((d, i) => i === 0 || d.confidence > 0), 200);
  })
  .openapi(languagesRoute, async (c) => {
    const catalog = await c.var.models.catalog();
    const targets = new Map<string, Set<string>>();
    for (const m of catalog) targets.set(m.source, (targets.get(m.source) ?? new Set()).add(m.target));
    const languages = [...targets].map(([code, to]) => ({ code, name: languageName(code), targets: [...to].sort() }));
    return c.json(languages, 200);
  })
  .openapi(settingsRoute, async (c) => {
    const target = (await c.var.models.catalog())[0]?.target ?? 'en';
    const keys = configuredApiKeys(c.env.API_KEYS).length > 0;
    const settings: LibreFrontendSettings = {
      charLimit: LIMITS.maxCharsPerText,
      frontendTimeout: 500, // LibreTranslate's default: translate half a second after typing stops
      apiKeys: keys,
      keyRequired: keys,
      suggestions: false,
      filesTranslation: false,
      supportedFilesFormat: [],
      language: { source: { code: 'auto', name: 'Auto Detect' }, target: { code: target, name: languageName(target) } },
    };
    return c.json(settings, 200);
  });

/** Translates with the pair's model; `sources` are the texts, or with `docs` their HTML text nodes. */
async function translateTexts(
  c: Context<AppEnv>,
  pair: { source: string | undefined; target: string },
  alternatives: number,
  sources: string[],
  docs: HtmlSplit[] | undefined,
  count: number,
): Promise<Translation[]> {
  const manifest = await resolveModel(c.var.models, pair);
  const lease = await c.var.models.acquire(manifest.id);
  try {
    // argos-translate's num_hypotheses = alternatives + 1: the translation and its alternatives.
    const hypotheses = alternatives > 0 ? alternatives + 1 : undefined;
    const options = {
      numBeams: beamSize(hypotheses === undefined ? undefined : { alternatives: hypotheses }),
      maxTokens: LIMITS.defaultOutputTokens,
      signal: c.req.raw.signal,
      ...(hypotheses === undefined ? {} : { numReturnSequences: hypotheses }),
    };
    const answer = { confidence: false, alternatives: hypotheses };
    const result = await translateToJson(lease.model, planRequest(lease.model, sources, options), options, { count, docs, answer });
    c.set('logFields', { model: result.model, ...result.usage });
    return result.translations;
  } finally {
    lease.release();
  }
}

/**
 * LibreTranslate's clients read `error` as the message (one prints "[object Object]" otherwise): on
 * its routes, every `{ error: { type, message } }` answer, from any middleware or route, becomes
 * `{ error: message }` with the same status and headers.
 */
export function libreErrors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status < 400 || !(c.res.headers.get('Content-Type') ?? '').includes('json')) return;
    const body = (await c.res.clone().json().catch(() => undefined)) as { error?: { message?: unknown } } | undefined;
    const message = body?.error?.message;
    if (typeof message !== 'string') return;
    const headers = new Headers(c.res.headers);
    headers.delete('Content-Length');
    const { status } = c.res;
    c.res = undefined; // else Hono merges the old headers back in
    c.res = new Response(JSON.stringify({ error: message }), { status, headers });
  };
}
