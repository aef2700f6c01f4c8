// Gives every request the isolate's ModelStore for its R2 bucket. The store lives in module scope so
// that loaded sessions survive between requests of the same isolate.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { buildTranslator, type Translator } from '../inference/translator.ts';
import { ModelStore } from '../models/model-store.ts';

const stores = new WeakMap<R2Bucket, ModelStore<Translator>>();

/** The isolate's store for this environment's bucket, created on first use. */
export function modelStoreFor(env: Env): ModelStore<Translator> {
  let store = stores.get(env.MODELS);
  if (!store) {
    store = new ModelStore({ bucket: env.MODELS, maxLoaded: Number(env.MAX_LOADED_MODELS), build: buildTranslator });
    stores.set(env.MODELS, store);
  }
  return store;
}

export function modelStore(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('models', modelStoreFor(c.env));
    return next();
  };
}
