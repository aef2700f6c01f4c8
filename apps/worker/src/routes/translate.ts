// POST /v1/translate: JSON, or Server-Sent Events with `stream: true` / `Accept: text/event-stream`, and
// POST /v1/translate/stream, which always streams.
// Without `source` (or with "auto") the source is detected in the texts (resolve-model.ts); with
// `format: "html"` only the documents' text nodes are translated (translation/html.ts).
import { StreamEventSchema, TranslateRequestSchema, TranslateResponseSchema, type TranslateRequest, type TranslateResponse } from '@attend/protocol';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { validationHook } from '../errors.ts';
import { glossaryStoreFor } from '../glossaries/glossary-store.ts';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import { splitHtml } from '../translation/html.ts';
import { textEvents } from '../translation/html-events.ts';
import { planRequest, type RequestPlan } from '../translation/request-plan.ts';
import { chooseSource, resolveModel } from '../translation/resolve-model.ts';
import { cachedJson, cacheKey, storeJson } from '../translation/response-cache.ts';
import { ERROR_RESPONSES, SECURITY } from './schemas.ts';
import { TextAnswers } from './answer-fields.ts';
import { decodeRequest } from './translate-options.ts';
import { type RequestInput, streamTranslation } from './translate-stream.ts';

// Two operations, so that generated clients type each answer: /v1/translate documents the JSON answer
// (`stream: true` there still streams, for clients that set the flag), /v1/translate/stream the SSE one.
const jsonRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'translate',
  summary: 'Translate one text or a batch (JSON; `stream: true` answers as /v1/translate/stream)',
  security: SECURITY,
  request: { body: { content: { 'application/json': { schema: TranslateRequestSchema } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: TranslateResponseSchema } }, description: 'The translations, in input order' },
    ...ERROR_RESPONSES,
  },
});

const streamRoute = createRoute({
  method: 'post',
  path: '/stream',
  operationId: 'translateStream',
  summary: 'Translate one text or a batch, streamed token by token as Server-Sent Events',
  security: SECURITY,
  request: { body: { content: { 'application/json': { schema: TranslateRequestSchema } }, required: true } },
  responses: {
    200: {
      content: { 'text/event-stream': { schema: StreamEventSchema } },
      description:
        "SSE events whose `event:` is the data's `type`. Greedy sentences stream word by word; a sentence decoded with beam search (beam_size > 1, alternatives, or a glossary term in it) sends its deltas once its search is over. Each delta carries the log-probability of its tokens.",
    },
    ...ERROR_RESPONSES,
  },
});

// zod-openapi types a handler's result by its JSON responses; a stream (stream: true on the JSON route
// too) is an untyped Response.
export const translate = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(jsonRoute, (c) => handleTranslate(c, c.req.valid('json'), false) as never)
  .openapi(streamRoute, (c) => handleTranslate(c, c.req.valid('json'), true) as never);

async function handleTranslate(c: Context<AppEnv>, body: TranslateRequest, forceStream: boolean) {
  const texts = typeof body.text === 'string' ? [body.text] : body.text;
  const docs = body.format === 'html' ? texts.map(splitHtml) : undefined;
  const sources = docs ? docs.flatMap((doc) => doc.texts) : texts;
  const { source, detected } = await chooseSource(c.var.models, body, sources);
  const manifest = await resolveModel(c.var.models, { ...body, source });
  const decode = await decodeRequest(body.options, manifest, glossaryStoreFor(c.env), c.req.raw.signal);
  const input: RequestInput = { count: texts.length, docs, detected, answer: decode };
  const options = decode.generate;
  const streaming = forceStream || (body.stream ?? (c.req.header('Accept') ?? '').includes('text/event-stream'));
  if (streaming) {
    // Loaded and priced before the stream starts, so a missing model or a request over budget is
    // still a plain 503 or 413.
    const lease = await c.var.models.acquire(manifest.id);
    let plan: RequestPlan;
    try {
      plan = planRequest(lease.model, sources, options, decode.glossary);
    } catch (error) {
      lease.release();
      throw error;
    }
    return streamTranslation(c, lease, plan, options, input);
  }
  const features = [decode.confidence, decode.alternatives ?? 0, decode.glossary?.entries ?? []];
  const key = await cacheKey('v1/translate', manifest, [texts, body.format ?? 'text', detected ?? null, options.numBeams, options.maxTokens, ...features]);
  const cached = (await cachedJson(key)) as TranslateResponse | undefined;
  if (cached) {
    c.header('X-Cache', 'HIT');
    c.set('logFields', { model: manifest.id, cache: 'HIT' });
    return c.json(cached, 200);
  }
  const lease = await c.var.models.acquire(manifest.id);
  let response: TranslateResponse;
  try {
    response = await translateToJson(lease.model, planRequest(lease.model, sources, options, decode.glossary), options, input);
  } finally {
    lease.release();
  }
  const stored = storeJson(key, response);
  try {
    c.executionCtx.waitUntil(stored);
  } catch {
    await stored; // no ExecutionContext (app.request in tests): finish the write inline
  }
  c.header('X-Cache', 'MISS');
  c.set('logFields', { model: response.model, ...response.usage, cache: 'MISS' });
  return c.json(response, 200);
}

/** Decodes a planned request to the JSON response; stops at the next step when `options.signal` aborts. */
export async function translateToJson(translator: Translator, plan: RequestPlan, options: GenerateOptions, input: RequestInput): Promise<TranslateResponse> {
  const translations: TranslateResponse['translations'] = [];
  const usage = { input_tokens: 0, output_tokens: 0 };
  const answers = new TextAnswers(input.answer);
  for await (const event of textEvents(translator, plan, options, input.docs)) {
    const fields = answers.read(event);
    if (event.type !== 'done') continue;
    translations[event.index] = { text: event.text, usage: event.usage, finish_reason: event.finishReason, ...fields };
    usage.input_tokens += event.usage.input_tokens;
    usage.output_tokens += event.usage.output_tokens;
  }
  const { id, source, target } = translator.manifest;
  return { translations, model: id, source, target, usage, ...(input.detected ? { detected_language: input.detected } : {}) };
}
