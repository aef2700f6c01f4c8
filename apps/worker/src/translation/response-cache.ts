// Repeated identical non-streamed requests are answered from the Cache API where the runtime has one
// (custom domains in production; absent on workers.dev, where this is a no-op miss).
import type { Manifest } from '@attend/model-spec';
import { sha256Hex } from '../models/r2-model-files.ts';

const TTL_SECONDS = 86_400; // a model's output for a given input never changes; re-uploads change the key

/** A GET request standing for the translation request: the model's identity and the exact inputs. */
export async function cacheKey(route: string, manifest: Manifest, inputs: unknown): Promise<Request> {
  const digest = await sha256Hex(new TextEncoder().encode(JSON.stringify([route, manifest.id, manifest.created, inputs])));
  return new Request(`https://attend.cache/${route}/${digest}`);
}

function defaultCache(): Cache | undefined {
  return typeof caches === 'undefined' ? undefined : caches.default;
}

export async function cachedJson(key: Request): Promise<unknown> {
  const hit = await defaultCache()?.match(key);
  return hit ? hit.json() : undefined;
}

/** Stores `body` under `key`; returns the promise to hand to waitUntil. */
export async function storeJson(key: Request, body: unknown): Promise<void> {
  const response = new Response(JSON.stringify(body), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': `public, max-age=${TTL_SECONDS}` },
  });
  await defaultCache()?.put(key, response);
}
