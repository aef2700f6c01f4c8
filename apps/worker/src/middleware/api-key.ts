// Bearer API keys. Keys come from the API_KEYS secret (comma-separated); when none is configured the
// API is open, for local use. Keys are compared in constant time and never logged.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors.ts';

export interface ApiKeyOptions {
  /** Also accept the key as the `api_key` body field (LibreTranslate clients send it there). */
  readonly bodyField?: boolean;
}

export function apiKey(options: ApiKeyOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const keys = configuredKeys(c.env.API_KEYS);
    if (keys.length === 0 || c.req.method === 'OPTIONS') return next();
    const presented = bearerToken(c.req.header('Authorization')) ?? (options.bodyField ? await bodyKey(c.req.raw) : undefined);
    if (presented === undefined) {
      throw new ApiError('authentication_error', 'missing API key: send the header `Authorization: Bearer <key>`');
    }
    let match = false;
    for (const key of keys) match = (await constantTimeEqual(presented, key)) || match;
    if (!match) throw new ApiError('authentication_error', 'invalid API key: check the key, or ask the operator for one');
    return next();
  };
}

function configuredKeys(secret: string | undefined): string[] {
  return (secret ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

async function bodyKey(request: Request): Promise<string | undefined> {
  const type = request.headers.get('Content-Type') ?? '';
  try {
    if (/json/i.test(type)) {
      const body: unknown = await request.clone().json();
      const key = (body as { api_key?: unknown } | null)?.api_key;
      return typeof key === 'string' ? key : undefined;
    }
    if (/form/i.test(type)) {
      const key = (await request.clone().formData()).get('api_key');
      return typeof key === 'string' ? key : undefined;
    }
  } catch {
    return undefined; // a malformed body is reported by the route's validation
  }
  return undefined;
}

/** Compares SHA-256 digests so the time taken depends on neither the keys' contents nor lengths. */
async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [da, db] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', encoder.encode(s))));
  const x = new Uint8Array(da!);
  const y = new Uint8Array(db!);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}
