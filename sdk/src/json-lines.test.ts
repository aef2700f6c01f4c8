import { describe, expect, it } from 'vitest';
import { Client } from './client.ts';
import { APIConnectionError, APIError, APIUserAbortError, AttendError } from './errors.ts';
import { iterateLines } from './json-lines.ts';
import { TranslationStream, type TranslationStreamEvent } from './stream.ts';
import { fakeFetch, sseBody, sseEvent, sseResponse } from './test-support.ts';

const usage = { input_tokens: 1, output_tokens: 2 };
const EVENTS = [
  { type: 'start', model: 'en-es', source: 'en', target: 'es', count: 1 },
  { type: 'delta', index: 0, text: 'Buenos', logprob: -0.5, tokens: 2 },
  { type: 'delta', index: 0, text: ' días', logprob: -0.25, tokens: 1 },
  { type: 'done', index: 0, text: 'Buenos días', usage, finish_reason: 'stop', mean_logprob: -0.25 },
] as const satisfies readonly TranslationStreamEvent[];
const [START] = EVENTS;

function streamOf(wire: string[], end: 'close' | 'error' | 'hang' = 'close') {
  const body = sseBody(wire, { end });
  const { fetch } = fakeFetch([() => sseResponse(body.body)]);
  const stream = new Client({ baseURL: 'http://x', fetch, maxRetries: 0 }).translate.stream({ text: 'a', target: 'es' });
  return { stream, cancelled: body.cancelled };
}

/** A byte stream of `chunks`, strings encoded as UTF-8, bytes as they are (cut anywhere). */
function bytes(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const utf8 = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? utf8.encode(chunk) : chunk);
      controller.close();
    },
  });
}

describe('stream.toReadableStream', () => {
  it('gives one JSON line per event, which fromReadableStream reads back into a stream', async () => {
    const { stream } = streamOf(EVENTS.map(sseEvent));
    const text = await new Response(stream.toReadableStream()).text();
    expect(text).toBe(EVENTS.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const again = TranslationStream.fromReadableStream(new Response(text).body as ReadableStream<Uint8Array>);
    expect(await again.finalResponse()).toMatchObject({ translations: [{ text: 'Buenos días', usage }], model: 'en-es' });
    await expect(again.withResponse()).rejects.toThrow(/has no HTTP response/);
  });

  it('consumes the stream, errors on a failure, and aborts the request when cancelled', async () => {
    const failure = sseEvent({ type: 'error', error: { type: 'internal_error', message: 'decoder failed' } });
    const { stream: failing } = streamOf([sseEvent(START), failure]);
    const readable = failing.toReadableStream();
    expect(() => failing[Symbol.asyncIterator]()).toThrow(AttendError);
    await expect(new Response(readable).text()).rejects.toMatchObject({ type: 'internal_error' });

    const { stream, cancelled } = streamOf([sseEvent(START)], 'hang');
    const reader = stream.toReadableStream().getReader();
    await reader.read();
    const pending = reader.read();
    await reader.cancel();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(stream.controller.signal.aborted).toBe(true);
    expect(cancelled()).toBe(true);
  });
});

describe('TranslationStream.fromReadableStream', () => {
  it('reads lines split anywhere, skips unknown types, and throws an error line', async () => {
    const wire = `${JSON.stringify(START)}\n{"type":"ping"}\n\n${JSON.stringify({ type: 'error', error: { type: 'rate_limited', message: 'slow down' } })}\n`;
    const encoded = new TextEncoder().encode(wire);
    const cut = [encoded.slice(0, 7), encoded.slice(7, 70), encoded.slice(70)];
    const stream = TranslationStream.fromReadableStream(bytes(cut));
    const seen: TranslationStreamEvent[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([START]);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ type: 'rate_limited', status: undefined });
  });

  it('says what is wrong with a malformed line, an empty body and a failing body', async () => {
    await expect(TranslationStream.fromReadableStream(bytes(['<html>\n'])).finalText()).rejects.toThrow(
      'Malformed line in an event stream: <html>',
    );
    await expect(TranslationStream.fromReadableStream(bytes([])).finalText()).rejects.toThrow(/ended before its first event/);
    const broken = sseBody([`${JSON.stringify(START)}\n`], { end: 'error' }).body;
    await expect(TranslationStream.fromReadableStream(broken).finalText()).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('aborts on its signal, a read in flight included', async () => {
    const body = sseBody([], { end: 'hang' });
    const controller = new AbortController();
    const stream = TranslationStream.fromReadableStream(body.body, controller.signal);
    const pending = stream.finalText();
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(body.cancelled()).toBe(true);
  });
});

describe('iterateLines', () => {
  it('keeps a UTF-8 sequence split across chunks and a last line without a newline', async () => {
    const encoded = new TextEncoder().encode('días\nañ');
    const lines: string[] = [];
    for await (const line of iterateLines(bytes([encoded.slice(0, 2), encoded.slice(2)]), new AbortController().signal)) lines.push(line);
    expect(lines).toEqual(['días', 'añ']);
  });
});
