// Rate limits against the real Workers Rate Limiting bindings of wrangler.toml, which Miniflare counts.
// Their state is shared by the whole run, so every test uses keys and addresses of its own.
import { ErrorBodySchema } from '@attend/protocol';
import { describe, expect, inject, it } from 'vitest';
import { client, isolatedEnv, postJson } from '../../test/app-client.ts';
import { assertNotLockedOut, clientIp, countAuthFailure, LIMIT_PERIOD_S } from './rate-limit.ts';

const limits = Object.fromEntries(inject('ratelimits').map((r) => [r.name, r.simple]));
const REQUESTS = limits.REQUEST_LIMITER!.limit;
const KEY_A = 'rate-limit-test-key-a-0123456789';
const KEY_B = 'rate-limit-test-key-b-0123456789';

/** Miniflare's windows are aligned to the wall clock: start a burst where it fits in one window. */
async function awayFromWindowEdge(): Promise<void> {
  const left = LIMIT_PERIOD_S * 1000 - (Date.now() % (LIMIT_PERIOD_S * 1000));
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** An invalid body: 422 once past the middleware, so nothing is translated. */
const cheap = (call: ReturnType<typeof client>, headers: Record<string, string>) => postJson(call, '/v1/translate', {}, headers);

async function statuses(count: number, send: () => Promise<Response>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await send();
    await response.arrayBuffer();
    seen.push(response.status);
  }
  return seen;
}

async function expectRateLimited(response: Response, secret?: string): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get('Retry-After')).toBe(String(LIMIT_PERIOD_S));
  const body = ErrorBodySchema.parse(await response.json());
  expect(body.error.type).toBe('rate_limited');
  expect(body.error.message).toMatch(/retry after 60 seconds/);
  if (secret) expect(body.error.message).not.toContain(secret);
}

describe('rateLimit', () => {
  it('uses the period the Retry-After header announces, for both limiters', () => {
    expect(limits.REQUEST_LIMITER?.period).toBe(LIMIT_PERIOD_S);
    expect(limits.AUTH_FAILURE_LIMITER?.period).toBe(LIMIT_PERIOD_S);
  });

  it('answers 429 with Retry-After to the request after the limit of one key, and not to another key', async () => {
    const call = client(isolatedEnv({ API_KEYS: `${KEY_A},${KEY_B}` }));
    const ip = { 'CF-Connecting-IP': '198.51.100.1' }; // one address: the key, not the address, is counted
    await awayFromWindowEdge();
    expect(await statuses(REQUESTS, () => cheap(call, { ...ip, Authorization: `Bearer ${KEY_A}` }))).toEqual(Array(REQUESTS).fill(422));
    await expectRateLimited(await cheap(call, { ...ip, Authorization: `Bearer ${KEY_A}` }), KEY_A);
    expect((await cheap(call, { ...ip, Authorization: `Bearer ${KEY_B}` })).status).toBe(422);
  });

  it('counts per client IP when no key is configured, and the same for LibreTranslate routes', async () => {
    const call = client(isolatedEnv({ API_KEYS: '' }));
    await awayFromWindowEdge();
    const from = (ip: string) => ({ 'CF-Connecting-IP': ip });
    expect(await statuses(REQUESTS - 1, () => cheap(call, from('198.51.100.2')))).toEqual(Array(REQUESTS - 1).fill(422));
    expect((await call('/languages', { headers: from('198.51.100.2') })).status).toBe(200);
    await expectRateLimited(await cheap(call, from('198.51.100.2')));
    await expectRateLimited(await call('/v1/languages', { headers: from('198.51.100.2') }));
    expect((await cheap(call, from('198.51.100.3'))).status).toBe(422);
  });

  it('counts an IPv6 client by its /64', async () => {
    const call = client(isolatedEnv({ API_KEYS: '' }));
    await awayFromWindowEdge();
    const seen = await statuses(REQUESTS + 1, () => cheap(call, { 'CF-Connecting-IP': `2001:db8:aa:1::${Math.floor(Math.random() * 0xffff).toString(16)}` }));
    expect(seen.at(-1)).toBe(429);
  });

  it('does not limit per IP a request that did not come through the edge (no CF-Connecting-IP)', async () => {
    const call = client(isolatedEnv({ API_KEYS: '' }));
    expect(new Set(await statuses(REQUESTS + 1, () => cheap(call, {})))).toEqual(new Set([422]));
  });
});

describe('clientIp', () => {
  const ip = (value?: string) => clientIp(new Request('https://attend.test/', { headers: value === undefined ? {} : { 'CF-Connecting-IP': value } }));

  it('is CF-Connecting-IP, an IPv6 address reduced to its /64', () => {
    expect(ip('203.0.113.9')).toBe('203.0.113.9');
    expect(ip('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(ip('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(ip('::1')).toBe('0:0:0:0::/64');
    expect(ip()).toBeUndefined();
    expect(clientIp(new Request('https://attend.test/', { headers: { 'X-Forwarded-For': '203.0.113.9' } }))).toBeUndefined(); // spoofable
  });
});

describe('failed-authentication lockout', () => {
  const over: RateLimit = { limit: async () => ({ success: false }) };

  it('refuses an address for one period once the limiter says it is over, then lets it try again', async () => {
    const now = Date.now();
    await expect(countAuthFailure(over, '192.0.2.200', now)).rejects.toMatchObject({ type: 'rate_limited', headers: { 'Retry-After': '60' } });
    expect(() => assertNotLockedOut('192.0.2.200', now + LIMIT_PERIOD_S * 1000 - 1)).toThrow(/too many failed authentications/);
    expect(() => assertNotLockedOut('192.0.2.201', now)).not.toThrow();
    expect(() => assertNotLockedOut('192.0.2.200', now + LIMIT_PERIOD_S * 1000)).not.toThrow();
    expect(() => assertNotLockedOut('192.0.2.200', now)).not.toThrow(); // the lock was lifted, not kept
  });
});
