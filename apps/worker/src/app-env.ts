import type { ModelStore } from './models/model-store.ts';
import type { Translator } from './inference/translator.ts';

/** Hono's environment of every sub-app: bindings from `wrangler types`, and per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    models: ModelStore<Translator>;
  };
}
