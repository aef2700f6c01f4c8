// Bearer API keys. Keys come from the API_KEYS secret (comma-separated); when none is configured the
// API is open, for local use. Keys are compared in constant time, never logged nor echoed, and must be
// at least MIN_API_KEY_LENGTH characters: a shorter one is a configuration error (500), not a weak lock.
// Failed attempts are counted per client IP (rate-limit.ts), so keys cannot be guessed at speed; an
// accepted key is named to the rate limiter by a hash (`apiKeyId`).
import { apiKeysProblem, configuredApiKeys } from '@attend/protocol';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors.ts';
import { assertNotLockedOut, clientIp, countAuthFailure } from './rate-limit.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** Once a key is accepted: the first 16 hex digits of its SHA-256, never the key. */
    apiKeyId?: string;
  }
}

export interface ApiKeyOptions {
  /** Also accept the key as the `api_key` body field (LibreTranslate clients send it there). */
  readonly bodyField?: boolean;
}

export function apiKey(options: ApiKeyOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const keys = configuredApiKeys(c.env.API_KEYS);
    if (keys.length === 0 || c.req.method === 'OPTIONS') return next();
    const problem = apiKeysProblem(keys);
    if (problem) throw new ApiError('configuration_error', `server misconfigured: ${problem}`);
    const ip = clientIp(c.req.raw);
    assertNotLockedOut(ip);
    const presented = bearerToken(c.req.header('Authorization')) ?? (options.bodyField ? await bodyKey(c.req.raw) : undefined);
    const keyId = presented === undefined ? undefined : await matchingKeyId(presented, keys);
    if (keyId === undefined) {
      await countAuthFailure(c.env.AUTH_FAILURE_LIMITER, ip);
      throw presented === undefined
        ? new ApiError('authentication_error', 'missing API key: send the header `Authorization: Bearer <key>`')
        : new ApiError('authentication_error', 'invalid API key: check the key, or ask the operator for one');
    }
    c.set('apiKeyId', keyId);
    return next();
  };
}

/** The accepted key's id (a SHA-256 prefix), or undefined. Every key is compared, in constant time. */
async function matchingKeyId(presented: string, keys: readonly string[]): Promise<string | undefined> {
  const digest = await sha256(presented);
  let match = false;
  for (const key of keys) match = equalBytes(digest, await sha256(key)) || match;
  return match ? hex(digest).slice(0, 16) : undefined;
}

/** What the operator must fix; names no key. scripts/start.ts prints the same before `wrangler dev`. */
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

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Constant time over two digests, so the time taken depends on neither the keys' contents nor lengths. */
function equalBytes(x: Uint8Array, y: Uint8Array): boolean {
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
