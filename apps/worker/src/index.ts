// The edge worker: composes middleware and one sub-app per resource (STYLE.md, "shaped like Hono").
import { LIMITS } from '@attend/protocol';
import { OpenAPIHono } from '@hono/zod-openapi';
import { except } from 'hono/combine';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './app-env.ts';
import { ApiError, errorBody, notFound, onError, validationHook } from './errors.ts';
import { apiKey } from './middleware/api-key.ts';
import { bodyLimit } from './middleware/body-limit.ts';
import { corsFromEnv } from './middleware/cors-from-env.ts';
import { modelStore } from './middleware/model-store.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestLog } from './middleware/request-log.ts';
import { detect } from './routes/detect.ts';
import { health } from './routes/health.ts';
import { languages } from './routes/languages.ts';
import { libreErrors, libretranslate } from './routes/libretranslate.ts';
import { models } from './routes/models.ts';
import { translate } from './routes/translate.ts';

const tooLarge = new ApiError('payload_too_large', `the body is over ${LIMITS.maxBodyBytes} bytes; split the texts over several requests`);

const LIBRE_PATHS = ['/translate', '/detect', '/languages', '/frontend/settings'];

const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

app.use(requestId());
app.use(requestLog()); // early, so 401, 413 and 429 answers get their line too
app.use(corsFromEnv());
// LibreTranslate's routes answer errors in its shape, whichever middleware below raised them.
for (const path of LIBRE_PATHS) app.use(path, libreErrors());
app.use(bodyLimit(LIMITS.maxBodyBytes, (c) => c.json(errorBody(tooLarge), 413)));
// Models and languages are public metadata, like LibreTranslate's GET /languages.
app.use('/v1/*', except(['/v1/models', '/v1/models/*', '/v1/languages'], apiKey()));
app.use('/translate', apiKey({ bodyField: true }));
app.use('/detect', apiKey({ bodyField: true }));
app.use(rateLimit()); // after apiKey(), which names the accepted key
app.use(modelStore());

app.route('/v1/translate', translate);
app.route('/v1/detect', detect);
app.route('/v1/models', models);
app.route('/v1/languages', languages);
app.route('/health', health);
app.route('/', libretranslate);

app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
// `servers` names the origin that served the document, so a client generated from it calls the same worker.
app.doc31('/openapi.json', (c) => ({
  openapi: '3.1.0',
  info: { title: 'Attend translation API', version: '1.0.0', description: 'Transformer translation at the edge; streams over SSE.' },
  servers: [{ url: new URL(c.req.url).origin, description: 'this worker' }],
}));

app.notFound(notFound);
app.onError(onError);

export default app;
