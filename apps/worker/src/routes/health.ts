// GET /health: the models in storage and in memory, the wasm heap, and every model that cannot be
// served with why. 503 "degraded" while any can't, so that a load balancer or uptime check notices a
// broken upload instead of reading "ok". Needs no API key, and loads nothing: a model not asked for
// yet counts as healthy when its manifest.json is valid.
import { HealthSchema } from '@attend/protocol';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { COMMON_ERRORS } from './schemas.ts';
import { validationHook } from '../errors.ts';
import { wasmHeapBytes } from '../inference/onnx-runtime.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'health',
  summary: 'Health',
  responses: {
    200: { content: { 'application/json': { schema: HealthSchema } }, description: 'Every model in storage can be served' },
    503: { content: { 'application/json': { schema: HealthSchema } }, description: 'Some model cannot: `failed` names each and why' },
    ...COMMON_ERRORS,
  },
});

export const health = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const store = c.var.models;
  const [{ manifests, broken }, failed] = await Promise.all([store.listing(), store.failures()]);
  const body = { models: manifests.length + broken.length, loaded: store.loadedIds(), failed, wasm_heap_bytes: wasmHeapBytes() };
  return failed.length === 0 ? c.json({ status: 'ok' as const, ...body }, 200) : c.json({ status: 'degraded' as const, ...body }, 503);
});
