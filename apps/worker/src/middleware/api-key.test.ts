// API keys through the whole app, with the real rate limiters of wrangler.toml (their state is shared
// by the run, so each test uses addresses of its own).
import { ErrorBodySchema, type ErrorType } from '@attend/protocol';
import { describe, expect, inject, it } from 'vitest';
import { client, isolatedEnv, postJson } from '../../test/app-client.ts';
import { MIN_API_KEY_LENGTH as MIN_KEY_LENGTH } from '@attend/protocol';
import { LIMIT_PERIOD_S } from './rate-limit.ts';

const FAILURES = inject('ratelimits').find((r) => r.name === 'AUTH_FAILURE_LIMITER')!.simple.limit;
const KEY = 'api-key-test-key-0123456789abcdef';
const OTHER_KEY = 'api-key-test-other-0123456789abc';

const from = (ip: string, key?: string): Record<string, string> => ({ 'CF-Connecting-IP': ip, ...(key === undefined ? {} : { Authorization: `Bearer ${key}` }) });
/** An invalid body: 422 once past the middleware, so nothing is translated. */
const cheap = (call: ReturnType<typeof client>, headers: Record<string, string>) => postJson(call, '/v1/translate', {}, headers);

async function expectError(response: Response, type: ErrorType, message?: RegExp): Promise<string> {
  const body = ErrorBodySchema.parse(await response.json());
  expect(body.error.type).toBe(type);
  if (message) expect(body.error.message).toMatch(message);
  return body.error.message;
}

/** Miniflare's windows are aligned to the wall clock: start a burst where it fits in one window. */
async function awayFromWindowEdge(): Promise<void> {
  const left = LIMIT_PERIOD_S * 1000 - (Date.now() % (LIMIT_PERIOD_S * 1000));
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('apiKey', () => {
  const call = client(isolatedEnv({ API_KEYS: ` ${KEY} , ${OTHER_KEY} ` }));

  it('accepts any configured key, as a bearer header or as LibreTranslate’s api_key field', async () => {
    expect((await cheap(call, from('192.0.2.1', OTHER_KEY))).status).toBe(422);
    const libre = await postJson(call, '/translate', { q: '', source: 'en', target: 'es', api_key: KEY }, from('192.0.2.1'));
    expect(libre.status).not.toBe(401);
    await expectError(await cheap(call, from('192.0.2.1')), 'authentication_error', /Authorization: Bearer/);
    const wrong = await expectError(await cheap(call, from('192.0.2.1', `${KEY}x`)), 'authentication_error', /invalid API key/);
    expect(wrong).not.toContain(KEY);
  });

  it('leaves the public metadata open while keys are set: languages and models, like LibreTranslate’s /languages', async () => {
    expect((await call('/v1/languages', { headers: from('192.0.2.2') })).status).toBe(200);
    expect((await call('/v1/models', { headers: from('192.0.2.2') })).status).toBe(200);
    await expectError(await call('/v1/models/no-such-model', { headers: from('192.0.2.2') }), 'not_found');
    expect((await call('/languages', { headers: from('192.0.2.2') })).status).toBe(200);
    await expectError(await call('/v1/nothing-here', { headers: from('192.0.2.2') }), 'authentication_error'); // the rest of /v1 is not
  });

  it('refuses an address after too many failed attempts, even its right key, but no other address', async () => {
    await awayFromWindowEdge();
    const guesses: number[] = [];
    for (let i = 0; i < FAILURES; i++) guesses.push((await cheap(call, from('192.0.2.3', i % 2 ? `guess-${i}-0123456789abcdef` : undefined))).status);
    expect(guesses).toEqual(Array(FAILURES).fill(401));
    const refused = await cheap(call, from('192.0.2.3', 'guess-last-0123456789abcdef'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe(String(LIMIT_PERIOD_S));
    await expectError(refused, 'rate_limited', /too many failed authentications.*retry after 60 seconds/);
    await expectError(await cheap(call, from('192.0.2.3', KEY)), 'rate_limited'); // a guesser learns nothing
    expect((await cheap(call, from('192.0.2.4', KEY))).status).toBe(422);
  });

  it(`answers 500 configuration_error to every authenticated request while a key is shorter than ${MIN_KEY_LENGTH} characters`, async () => {
    const misconfigured = client(isolatedEnv({ API_KEYS: `${KEY},k1` }));
    for (const key of [KEY, 'k1', undefined]) {
      const response = await cheap(misconfigured, from('192.0.2.5', key));
      expect(response.status).toBe(500);
      const message = await expectError(response, 'configuration_error', /openssl rand -hex 24.*wrangler secret put API_KEYS/);
      expect(message).toMatch(/shorter than 16 characters/);
      expect(message).not.toMatch(/k1|api-key-test/); // names no key
    }
    expect((await misconfigured('/v1/languages', { headers: from('192.0.2.5') })).status).toBe(200);
  });
});
