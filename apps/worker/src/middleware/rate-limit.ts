// Rate limits on Cloudflare's Workers Rate Limiting bindings (wrangler.toml [[ratelimits]]): requests per
// API key, or per client IP where no key was checked (keys off, public metadata routes); and failed
// authentications per client IP. Over a limit the answer is 429 with `Retry-After`, which the SDK honours.
// Limiter keys name a key by its hash (api-key.ts) and never hold the key itself.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors.ts';

/** The period of both limiters in wrangler.toml. The binding does not say when its window ends, so a
 *  client is told to wait a whole period. */
export const LIMIT_PERIOD_S = 60;

/**
 * The client's address as Cloudflare saw it (CF-Connecting-IP, which Cloudflare overwrites, unlike
 * X-Forwarded-For). An IPv6 client holds a whole /64, so that is what is counted. Undefined when the
 * request did not come through Cloudflare's edge: a service binding, or a test calling `app.fetch`;
 * such requests are not limited per IP. `wrangler dev` sets the header from the socket's address, so
 * local use is limited as in production.
 */
export function clientIp(request: Request): string | undefined {
  const ip = request.headers.get('CF-Connecting-IP')?.trim();
  if (!ip) return undefined;
  return ip.includes(':') ? ipv6Prefix64(ip) : ip;
}

function ipv6Prefix64(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/** 429 with `Retry-After`; `what` says which limit was reached. */
export function rateLimited(what: string): ApiError {
  return new ApiError('rate_limited', `${what}; retry after ${LIMIT_PERIOD_S} seconds`, { 'Retry-After': String(LIMIT_PERIOD_S) });
}

/** Counts the request against REQUEST_LIMITER: per accepted API key, else per client IP. */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const keyId = c.get('apiKeyId');
    const ip = clientIp(c.req.raw);
    const bucket = keyId ? `key:${keyId}` : ip ? `ip:${ip}` : undefined;
    if (bucket === undefined) return next();
    const { success } = await c.env.REQUEST_LIMITER.limit({ key: bucket });
    if (!success) {
      throw rateLimited(keyId ? 'too many requests for this API key in the last minute' : 'too many requests from your address in the last minute');
    }
    return next();
  };
}

// Addresses that reached the failed-authentication limit, until when. The binding only counts: it
// cannot be asked whether an address is over without counting it again, so this isolate remembers, and
// refuses every key from that address (a right one too) until the period ends; otherwise a guesser would
// still tell a right key (200) from wrong ones (429) at full speed. Another isolate learns it on the
// address's next failure there. Bounded, so a flood of addresses cannot grow it without end.
const lockedOut = new Map<string, number>();
const MAX_LOCKED_OUT = 10_000;

const FAILED_AUTH = 'too many failed authentications from your address';

/** Throws 429 while `ip` is locked out after too many failed authentications. */
export function assertNotLockedOut(ip: string | undefined, now = Date.now()): void {
  if (ip === undefined) return;
  const until = lockedOut.get(ip);
  if (until === undefined) return;
  if (now < until) throw rateLimited(`${FAILED_AUTH}: check the API key`);
  lockedOut.delete(ip);
}

/** Counts a failed authentication against AUTH_FAILURE_LIMITER; throws 429 (and locks the address out) over the limit. */
export async function countAuthFailure(limiter: RateLimit, ip: string | undefined, now = Date.now()): Promise<void> {
  if (ip === undefined) return;
  const { success } = await limiter.limit({ key: `ip:${ip}` });
  if (success) return;
  if (lockedOut.size >= MAX_LOCKED_OUT) lockedOut.delete(lockedOut.keys().next().value!);
  lockedOut.set(ip, now + LIMIT_PERIOD_S * 1000);
  throw rateLimited(`${FAILED_AUTH}: check the API key`);
}
