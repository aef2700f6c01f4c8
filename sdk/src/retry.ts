import { APIConnectionError, APIError, APIUserAbortError } from './errors.ts';

/** Waits `ms` milliseconds; rejects with {@link APIUserAbortError} when `signal` aborts first. */
export type Sleep = (ms: number, signal: AbortSignal | undefined) => Promise<void>;

// Backoff as in openai-node: 0.5 s doubling to at most 8 s, minus up to 25 % jitter so that clients
// failing together do not retry together.
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
const JITTER = 0.25;
// A server asking for more than a minute is treated as a hint we cannot honour in-process.
const MAX_RETRY_AFTER_MS = 60_000;

/** The default {@link Sleep}, on setTimeout. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError({ cause: signal.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError({ cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Whether `error` is worth another attempt: no response, or a 408, 409, 429 or 5xx. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  if (!(error instanceof APIError) || error.status === undefined) return false;
  const { status } = error;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before retry number `retry` (0-based). The server's `retry-after-ms` or
 * `retry-after` (seconds, or an HTTP date) wins when it is within a minute; else exponential backoff
 * with jitter. `now` and `random` are injectable so the schedule is testable.
 */
export function retryDelay(
  retry: number,
  headers: Headers | undefined,
  now: number = Date.now(),
  random: number = Math.random(),
): number {
  const asked = retryAfterMs(headers, now);
  if (asked !== undefined && asked >= 0 && asked <= MAX_RETRY_AFTER_MS) return asked;
  const backoff = Math.min(INITIAL_DELAY_MS * 2 ** retry, MAX_DELAY_MS);
  return backoff * (1 - JITTER * random);
}

function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms != null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms);
  const after = headers?.get('retry-after');
  if (after == null || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : date - now;
}

/**
 * Runs `attempt` until it succeeds, fails with an error that {@link isRetryable} rejects, or has been
 * retried `maxRetries` times; waits {@link retryDelay} between attempts.
 */
export async function withRetries<T>(
  attempt: (retry: number) => Promise<T>,
  { maxRetries, sleep, signal }: { maxRetries: number; sleep: Sleep; signal: AbortSignal | undefined },
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (error) {
      if (retry >= maxRetries || !isRetryable(error)) throw error;
      await sleep(retryDelay(retry, error instanceof APIError ? error.headers : undefined), signal);
    }
  }
}
