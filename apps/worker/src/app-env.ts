import type { ModelStore } from './models/model-store.ts';
import type { Translator } from './inference/translator.ts';
import type { RequestLogFields } from './log.ts';

/** Hono's environment of every sub-app: bindings from `wrangler types`, and per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    models: ModelStore<Translator>;
    /** The model and token counts a route reports for this request's log line (middleware/request-log.ts). */
    logFields: RequestLogFields | undefined;
    /** Set by a streaming route: the log line waits until this settles, when the stream has ended. */
    logAfter: Promise<unknown> | undefined;
  };
}
