// Test doubles shared by the SDK's tests: a scripted `fetch`, SSE bodies, a recording sleep.
import type { Sleep } from './retry.ts';
import type { Fetch } from './transport.ts';

/** One request the fake fetch received. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal;
}

/** Answers the n-th request with `replies[n]`; a reply that throws models a connection failure. */
export function fakeFetch(replies: Array<(request: SeenRequest) => Response | Promise<Response>>): {
  fetch: Fetch;
  requests: SeenRequest[];
} {
  const requests: SeenRequest[] = [];
  const fetch: Fetch = async (url, init) => {
    const request: SeenRequest = {
      url,
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init.signal as AbortSignal,
    };
    requests.push(request);
    const reply = replies[requests.length - 1];
    if (!reply) throw new Error(`unexpected request #${requests.length} to ${url}`);
    return reply(request);
  };
  return { fetch, requests };
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** What happens after the last chunk of a {@link sseBody}: end, error (connection drop), or hang. */
export type BodyEnd = 'close' | 'error' | 'hang';

/**
 * A streaming body that sends `chunks` and then ends as `end` says. It honours `signal` the way
 * fetch does (an abort errors the body) and records whether the reader cancelled it.
 */
export function sseBody(
  chunks: string[],
  { end = 'close', signal }: { end?: BodyEnd; signal?: AbortSignal } = {},
): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk !== undefined) return controller.enqueue(encoder.encode(chunk));
      if (end === 'close') return controller.close();
      if (end === 'error') return controller.error(new TypeError('terminated'));
      return new Promise<void>(() => undefined);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

/** Formats one SSE message as the worker sends it. */
export function sseEvent(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A {@link Sleep} that resolves at once and records each requested delay. */
export function recordingSleep(): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

/** An SSE response with `chunks` as its body. */
export function sseResponse(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', ...headers } });
}
