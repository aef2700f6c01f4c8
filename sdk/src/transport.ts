import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AttendError,
} from './errors.ts';
import type { Answered } from './api-promise.ts';
import { readEnv } from './env.ts';
import { sleep as realSleep, withRetries, type Sleep } from './retry.ts';

/** The shape of `fetch` the client needs; the global one, undici's, or any test double. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link Client}. */
export interface ClientOptions {
  /**
   * Where the API lives, e.g. `https://attend.example.workers.dev` (a path prefix is kept).
   * Defaults to the `ATTEND_BASE_URL` environment variable.
   */
  baseURL?: string | undefined;
  /**
   * Sent as `Authorization: Bearer <apiKey>`. Defaults to the `ATTEND_API_KEY` environment variable;
   * `null` sends no key whatever the environment says (a server without authentication).
   */
  apiKey?: string | null | undefined;
  /** The `fetch` to use; defaults to `globalThis.fetch` (Node 18+, browsers, Workers, Deno). */
  fetch?: Fetch | undefined;
  /** Milliseconds one attempt may take (for a stream: until its first event). Default 60 000. */
  timeout?: number | undefined;
  /** Retries after a connection error, timeout, 408, 409, 429 or 5xx. Default 2. */
  maxRetries?: number | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
  /** How to wait between retries; defaults to setTimeout. Tests inject a recorder. */
  sleep?: Sleep | undefined;
}

/** Per-request overrides of {@link ClientOptions}, plus an `AbortSignal`. */
export interface RequestOptions {
  /** Aborts the request; the call then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Overrides {@link ClientOptions.timeout} for this request. */
  timeout?: number | undefined;
  /** Overrides {@link ClientOptions.maxRetries} for this request. */
  maxRetries?: number | undefined;
  /** Extra headers for this request. */
  headers?: Record<string, string> | undefined;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;

/** One attempt's response and the means to end it. */
export interface Attempt {
  readonly response: Response;
  /** Stops the attempt's timeout clock (a stream calls it once its first event is in). */
  readonly stopTimer: () => void;
  /** Stops the timer and detaches the caller's signal; call it when done with the body. */
  readonly release: () => void;
  /** Maps a failure met while reading this attempt's body to the SDK's error classes. */
  readonly fail: (error: unknown) => unknown;
}

/** Sends requests: URL, headers, timeout, retries, and the mapping of failures to error classes. */
export class Transport {
  readonly #baseURL: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: Fetch;
  readonly #timeout: number;
  readonly #maxRetries: number;
  readonly #sleep: Sleep;

  constructor(options: ClientOptions) {
    const baseURL = baseURLOf(options);
    const apiKey = options.apiKey === undefined ? readEnv('ATTEND_API_KEY') : options.apiKey;
    const fetch = options.fetch ?? globalFetch();
    if (!fetch) {
      throw new AttendError('No global `fetch`: pass `fetch` to the client, or run on Node 18+, a browser, Workers or Deno.');
    }
    this.#baseURL = baseURL.replace(/\/+$/, '');
    this.#fetch = fetch;
    this.#timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    this.#maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.#sleep = options.sleep ?? realSleep;
    this.#headers = {
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...lowerCaseKeys(options.defaultHeaders),
    };
  }

  /** Sends a request and parses its JSON answer, kept with its response; retries as configured. */
  async json<T>(method: 'GET' | 'POST', path: string, body: unknown, options: RequestOptions = {}): Promise<Answered<T>> {
    return this.retrying(options, async () => {
      const { response, release, fail } = await this.attempt(method, path, body, 'application/json', options);
      try {
        const text = await response.text();
        try {
          return { data: JSON.parse(text) as T, response };
        } catch {
          const snippet = text.slice(0, 200);
          throw new APIError(response.status, undefined, `Expected JSON from ${method} ${path}, got: ${snippet}`, response.headers);
        }
      } catch (error) {
        throw fail(error);
      } finally {
        release();
      }
    });
  }

  /** Runs `attempt` with this client's retry policy, overridable per request. */
  retrying<T>(options: RequestOptions, attempt: () => Promise<T>): Promise<T> {
    return withRetries(attempt, {
      maxRetries: options.maxRetries ?? this.#maxRetries,
      sleep: this.#sleep,
      signal: options.signal,
    });
  }

  /**
   * One attempt: sends the request and resolves once the headers are in, rejecting with an
   * {@link APIError} subclass for a non-2xx status. The timeout keeps running until `stopTimer()`.
   */
  async attempt(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    accept: string,
    options: RequestOptions,
  ): Promise<Attempt> {
    const controller = new AbortController();
    const { signal } = options;
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeout ?? this.#timeout);
    const stopTimer = () => clearTimeout(timer);
    const release = () => {
      stopTimer();
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): unknown => {
      if (error instanceof AttendError) return error;
      if (signal?.aborted) return new APIUserAbortError({ cause: error });
      if (timedOut) return new APIConnectionTimeoutError();
      return new APIConnectionError(`Connection error: ${messageOf(error)}`, { cause: error });
    };

    const headers: Record<string, string> = { accept, ...this.#headers, ...lowerCaseKeys(options.headers) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      // Called detached: a native fetch invoked as a method of another object throws "Illegal invocation".
      const fetch = this.#fetch;
      const response = await fetch(`${this.#baseURL}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: controller.signal,
      });
      if (!response.ok) throw await errorFrom(response);
      return { response, stopTimer, release, fail };
    } catch (error) {
      release();
      throw fail(error);
    }
  }
}

// An explicit option wins over the environment, so that a program that names its server is not
// redirected by a variable left in a shell.
function baseURLOf(options: ClientOptions): string {
  const baseURL = options.baseURL ?? readEnv('ATTEND_BASE_URL');
  const origin = options.baseURL === undefined ? 'ATTEND_BASE_URL' : '`baseURL`';
  if (!baseURL) {
    throw new AttendError(
      'Missing base URL: pass `baseURL` to the client, e.g. new Client({ baseURL: "https://..." }), or set ATTEND_BASE_URL.',
    );
  }
  if (!isHttpURL(baseURL)) throw new AttendError(`The base URL "${baseURL}" is not an http(s) URL; fix ${origin}.`);
  return baseURL;
}

function isHttpURL(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

async function errorFrom(response: Response): Promise<APIError> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const message = text === '' ? response.statusText || 'status code (no body)' : text.slice(0, 200);
  return APIError.generate(response.status, body, message, response.headers);
}

function globalFetch(): Fetch | undefined {
  const fetch = globalThis.fetch;
  // Looked up at call time, so that a fetch installed later (a polyfill, a test's mock) is the one used.
  return typeof fetch === 'function' ? (input, init) => globalThis.fetch(input, init) : undefined;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    // undici hides the reason (ECONNREFUSED, ...) in `cause`.
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
