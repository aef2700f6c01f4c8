import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyLimit } from './body-limit.ts';

const LIMIT = 1000;

function app(): Hono {
  return new Hono().use(bodyLimit(LIMIT, (c) => c.json({ error: 'too large' }, 413))).post('/', async (c) => c.text(await c.req.text()));
}

/** A body without Content-Length, sent in `pieces` chunks of `size` bytes; counts what was pulled. */
function chunked(pieces: number, size: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === pieces) return controller.close();
      sent++;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
  return { body, pulled: () => sent };
}

const post = (body: BodyInit, headers: Record<string, string> = {}) => app().request('/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('bodyLimit', () => {
  it('passes a chunked body within the limit through, byte for byte', async () => {
    const response = await post(chunked(4, 250).body);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('a'.repeat(1000));
  });

  it('refuses a chunked body over the limit after reading the rest of it', async () => {
    const { body, pulled } = chunked(40, 250);
    const response = await post(body);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too large' });
    expect(pulled()).toBe(40);
  });

  it('refuses by Content-Length alone, without reading', async () => {
    const response = await post('x'.repeat(LIMIT + 1), { 'Content-Length': String(LIMIT + 1) });
    expect(response.status).toBe(413);
  });
});
