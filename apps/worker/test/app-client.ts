// Calls the worker's app inside workerd with an environment of its own: the same local R2 storage,
// behind a bucket object of its own identity, so each test file gets a fresh ModelStore (as a fresh
// isolate would) even when the files share one runtime.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import app from '../src/index.ts';

export function isolatedEnv(overrides: Partial<Env> = {}): Env {
  const bucket = env.MODELS;
  const MODELS = {
    head: bucket.head.bind(bucket),
    get: bucket.get.bind(bucket),
    put: bucket.put.bind(bucket),
    delete: bucket.delete.bind(bucket),
    list: bucket.list.bind(bucket),
    createMultipartUpload: bucket.createMultipartUpload.bind(bucket),
    resumeMultipartUpload: bucket.resumeMultipartUpload.bind(bucket),
  } as R2Bucket;
  return { ...env, MODELS, ...overrides };
}

export type Client = (path: string, init?: RequestInit) => Promise<Response>;

/** Answers once the response is ready and its `waitUntil` work (cache writes) is done. */
export function client(testEnv: Env): Client {
  return async (path, init) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(new Request(`https://attend.test${path}`, init), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

export const postJson = (call: Client, path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
