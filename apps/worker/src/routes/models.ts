// GET /v1/models and /v1/models/{id}: the models uploaded to the bucket. Public metadata: no API key
// (rate-limited per client IP).
import type { Manifest } from '@attend/model-spec';
import { ModelListSchema, ModelSchema, type Model } from '@attend/protocol';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { ApiError, validationHook } from '../errors.ts';
import { servedBytes } from '../models/r2-model-files.ts';
import { COMMON_ERRORS, ERROR_RESPONSES } from './schemas.ts';

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listModels',
  summary: 'List the models',
  responses: { 200: { content: { 'application/json': { schema: ModelListSchema } }, description: 'Every uploaded model' }, ...COMMON_ERRORS },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'retrieveModel',
  summary: 'Describe one model',
  request: { params: z.object({ id: z.string().min(1).max(128) }) },
  responses: {
    200: { content: { 'application/json': { schema: ModelSchema } }, description: 'The model' },
    404: ERROR_RESPONSES[404],
    ...COMMON_ERRORS,
  },
});

export const models = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(list, async (c) => {
    const catalog = await c.var.models.catalog();
    return c.json({ models: catalog.map((m) => describe(m, c.var.models.isLoaded(m.id))) }, 200);
  })
  .openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const manifest = (await c.var.models.catalog()).find((m) => m.id === id);
    if (!manifest) throw new ApiError('not_found', `no model "${id}"; GET /v1/models lists them`);
    return c.json(describe(manifest, c.var.models.isLoaded(id)), 200);
  });

function describe(manifest: Manifest, loaded: boolean): Model {
  return { id: manifest.id, source: manifest.source, target: manifest.target, created: manifest.created, size_bytes: servedBytes(manifest), loaded };
}
