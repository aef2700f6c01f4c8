import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AttendError,
} from './errors.ts';
import { isRetryable, retryDelay, sleep, withRetries } from './retry.ts';
import { recordingSleep } from './test-support.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('retryDelay', () => {
  it('backs off exponentially from 0.5 s up to 8 s', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => retryDelay(n, undefined, NOW, 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('takes up to 25 % off as jitter', () => {
    expect(retryDelay(1, undefined, NOW, 1)).toBe(750);
    expect(retryDelay(1, undefined, NOW, 0.5)).toBe(875);
  });

  it('honours retry-after in seconds', () => {
    expect(retryDelay(0, new Headers({ 'retry-after': '3' }), NOW, 0.9)).toBe(3000);
    expect(retryDelay(0, new Headers({ 'retry-after': '0.25' }), NOW, 0.9)).toBe(250);
  });

  it('honours retry-after as an HTTP date', () => {
    const at = new Date(NOW + 5000).toUTCString();
    expect(retryDelay(0, new Headers({ 'retry-after': at }), NOW, 0)).toBe(5000);
  });

  it('prefers retry-after-ms', () => {
    expect(retryDelay(0, new Headers({ 'retry-after-ms': '120', 'retry-after': '9' }), NOW, 0)).toBe(120);
  });

  it('falls back to backoff for a past date, more than a minute, or garbage', () => {
    for (const value of [new Date(NOW - 1000).toUTCString(), '61', 'soon', '']) {
      expect(retryDelay(2, new Headers({ 'retry-after': value }), NOW, 0), value).toBe(2000);
    }
  });
});

describe('isRetryable', () => {
  it.each([
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
    [413, false],
    [422, false],
  ])('status %i -> %s', (status, expected) => {
    expect(isRetryable(APIError.generate(status, undefined, '', undefined))).toBe(expected);
  });

  it('retries connection failures and timeouts, never an abort or a stream error event', () => {
    expect(isRetryable(new APIConnectionError())).toBe(true);
    expect(isRetryable(new APIConnectionTimeoutError())).toBe(true);
    expect(isRetryable(new APIUserAbortError())).toBe(false);
    expect(isRetryable(APIError.generate(undefined, { error: { type: 'internal_error', message: '' } }, '', undefined))).toBe(false);
    expect(isRetryable(new AttendError('bug'))).toBe(false);
  });
});

describe('withRetries', () => {
  it('retries up to maxRetries times, waiting between attempts', async () => {
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new APIConnectionError();
    };
    await expect(withRetries(failing, { maxRetries: 3, sleep, signal: undefined })).rejects.toBeInstanceOf(APIConnectionError);
    expect(calls).toBe(4);
    expect(delays).toHaveLength(3);
    delays.forEach((ms, n) => {
      expect(ms).toBeGreaterThan(0.75 * 500 * 2 ** n - 1e-9);
      expect(ms).toBeLessThanOrEqual(500 * 2 ** n);
    });
  });

  it('returns the first success', async () => {
    const { sleep, delays } = recordingSleep();
    const headers = new Headers({ 'retry-after': '2' });
    let calls = 0;
    const result = await withRetries(
      async (retry) => {
        calls++;
        if (retry < 1) throw APIError.generate(429, undefined, '', headers);
        return 'ok';
      },
      { maxRetries: 2, sleep, signal: undefined },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(2);
    expect(delays).toEqual([2000]);
  });

  it('throws a non-retryable error at once', async () => {
    const { sleep, delays } = recordingSleep();
    const error = APIError.generate(400, undefined, '', undefined);
    await expect(withRetries(async () => Promise.reject(error), { maxRetries: 5, sleep, signal: undefined })).rejects.toBe(error);
    expect(delays).toEqual([]);
  });
});

describe('sleep', () => {
  it('rejects with APIUserAbortError when aborted while waiting', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort('stop');
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(sleep(10, controller.signal)).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('resolves after the delay', async () => {
    const started = Date.now();
    await sleep(20, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
