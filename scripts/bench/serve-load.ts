// A load run: N streamed translations started at once against one local worker, bounded by a deadline
// (requests still open then are aborted and counted as errors).
import { type StreamRequest, type StreamTiming, streamTranslate } from './serve-client.ts';
import { percentile } from './serve-stats.ts';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  /**
   * Of the errors, HTTP 500 "Network connection lost" from miniflare's entry worker: its hop to the
   * worker's workerd process broke (local dev only; production has no such hop).
   */
  readonly connectionLost: number;
  /** The first few distinct error messages. */
  readonly errorSamples: readonly string[];
  readonly wallMs: number;
  readonly totalP50Ms: number;
  readonly totalP99Ms: number;
  readonly firstDeltaP50Ms: number;
  readonly firstDeltaP99Ms: number;
  /** Decoder steps of all completed requests per second of wall time. */
  readonly tokensPerSecond: number;
}

const CONNECTION_LOST = /^HTTP 500: Error: Network connection lost\./;

/** `request` makes each request (with a key of its own: one key may make 120 requests a minute). */
export async function loadRun(request: () => Omit<StreamRequest, 'signal'>, concurrency: number, timeoutMs: number): Promise<LoadResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  const start = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: concurrency }, () => streamTranslate({ ...request(), signal })));
  const wallMs = performance.now() - start;
  const ok: StreamTiming[] = [];
  const messages = new Set<string>();
  let connectionLost = 0;
  for (const result of settled) {
    if (result.status === 'fulfilled') {
      ok.push(result.value);
      continue;
    }
    const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
    if (CONNECTION_LOST.test(message)) connectionLost++;
    messages.add(message.split('\n')[0]!);
  }
  const total = ok.map((t) => t.totalMs);
  const first = ok.map((t) => t.firstDeltaMs);
  return {
    requests: concurrency,
    errors: concurrency - ok.length,
    connectionLost,
    errorSamples: [...messages].slice(0, 3),
    wallMs,
    totalP50Ms: percentile(total, 50),
    totalP99Ms: percentile(total, 99),
    firstDeltaP50Ms: percentile(first, 50),
    firstDeltaP99Ms: percentile(first, 99),
    tokensPerSecond: (ok.reduce((sum, t) => sum + t.outputTokens, 0) / wallMs) * 1000,
  };
}
