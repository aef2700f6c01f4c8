// One log line per request, written once its answer is complete: method, path (no query string: a
// LibreTranslate client may put its key there), status, ms, request id, the error type of a failure,
// and the model and token counts the route reported. A route reports them with
// `c.set('logFields', { model, input_tokens, output_tokens })`; a streaming route, whose answer is
// complete only when its stream ends, also sets `c.set('logAfter', ended)` before it returns and
// reports the counts (and the `error` type of a failure mid-stream, sent with status 200) before
// `ended` settles. Never a text, a key or a header.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors.ts';
import { log } from '../log.ts';
import { ModelUnavailableError } from '../models/model-error.ts';

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    await next();
    // Hono's compose has already turned a thrown error into the response; it leaves the error in c.error.
    const error = c.error;
    const write = () =>
      log('request', {
        request_id: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Date.now() - started,
        ...c.get('logFields'),
        ...(error instanceof ModelUnavailableError ? { model: error.modelId, error: 'model_unavailable' } : {}),
        ...(error instanceof ApiError ? { error: error.type } : {}),
      });
    const after = c.get('logAfter');
    if (after) void after.then(write, write);
    else write();
  };
}
