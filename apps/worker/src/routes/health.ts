// GET /health: liveness, the models in storage and in memory, and the wasm heap. Needs no API key.
import { HealthSchema } from '@attend/protocol';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { validationHook } from '../errors.ts';
import { wasmHeapBytes } from '../inference/onnx-runtime.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  summary: 'Health',
  responses: { 200: { content: { 'application/json': { schema: HealthSchema } }, description: 'The worker answers' } },
});

export const health = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const catalog = await c.var.models.catalog();
  return c.json({ status: 'ok' as const, models: catalog.length, loaded: c.var.models.loadedIds(), wasm_heap_bytes: wasmHeapBytes() }, 200);
});
