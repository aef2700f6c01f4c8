// The SSE response on workerd's native stream: framing, headers set on the context, the end of the
// stream, and a client that goes away.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type SseWriter, sseResponse } from './sse-response.ts';

function app(run: (sse: SseWriter) => Promise<void>, onGone: () => void = () => {}): Hono {
  return new Hono().get('/', (c) => {
    c.header('X-Request-Id', 'r-1');
    return sseResponse(c, run, onGone);
  });
}

describe('sseResponse', () => {
  it('frames each event, data lines split, in the order sent, and closes when run ends', async () => {
    const response = await app(async (sse) => {
      void sse.send('start', '{"a":1}');
      void sse.send('note', 'two\nlines');
      await sse.send('done', '{}');
    }).request('/');
    expect(response.headers.get('Content-Type')).toBe('text/event-stream');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('X-Request-Id')).toBe('r-1');
    expect(await response.text()).toBe('event: start\ndata: {"a":1}\n\nevent: note\ndata: two\ndata: lines\n\nevent: done\ndata: {}\n\n');
  });

  it('tells when the client cancels the body, and drops later events without throwing', async () => {
    let gone = 0;
    let sendAfter: Promise<void> | undefined;
    let release = () => {};
    const cancelled = new Promise<void>((resolve) => (release = resolve));
    const response = await app(
      async (sse) => {
        await sse.send('start', '{}');
        await cancelled;
        sendAfter = sse.send('delta', '{}');
        await sendAfter;
      },
      () => gone++,
    ).request('/');
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(gone).toBe(1);
    await expect(sendAfter).resolves.toBeUndefined();
  });
});
