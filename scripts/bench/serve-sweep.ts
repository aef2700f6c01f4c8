// Closed-loop clients: each sends one streamed translation, waits for its end, and sends the next,
// until the phase's time is up (requests under way then are let finish). What `npm start` sees from N
// users each translating sentence after sentence.
import { type StreamRequest, type StreamTiming, streamTranslate } from './serve-client.ts';
import { percentile } from './serve-stats.ts';

export interface SweepPhase {
  readonly clients: number;
  readonly requests: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly wallMs: number;
  /** Output tokens (EOS included) of all completed requests per second of wall time. */
  readonly tokensPerSecond: number;
  readonly totalP50Ms: number;
  readonly totalP99Ms: number;
  readonly firstDeltaP50Ms: number;
  readonly firstDeltaP99Ms: number;
  /** CPU of the serving process per output token. */
  readonly cpuMsPerToken: number;
}

/** `request` makes each request (a key of its own, say); `cpuMs` reads the serving process's CPU time so far. */
export async function closedLoop(request: () => Omit<StreamRequest, 'signal'>, clients: number, durationMs: number, cpuMs: () => number): Promise<SweepPhase> {
  const done: StreamTiming[] = [];
  const errors: string[] = [];
  const cpuBefore = cpuMs();
  const start = performance.now();
  const client = async () => {
    while (performance.now() - start < durationMs) {
      try {
        done.push(await streamTranslate(request()));
      } catch (error) {
        errors.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const wallMs = performance.now() - start;
  const tokens = done.reduce((sum, t) => sum + t.outputTokens, 0);
  const total = done.map((t) => t.totalMs);
  const first = done.map((t) => t.firstDeltaMs);
  return {
    clients,
    requests: done.length + errors.length,
    errors: errors.length,
    errorSamples: [...new Set(errors)].slice(0, 3),
    wallMs,
    tokensPerSecond: (tokens / wallMs) * 1000,
    totalP50Ms: percentile(total, 50),
    totalP99Ms: percentile(total, 99),
    firstDeltaP50Ms: percentile(first, 50),
    firstDeltaP99Ms: percentile(first, 99),
    cpuMsPerToken: (cpuMs() - cpuBefore) / tokens,
  };
}
