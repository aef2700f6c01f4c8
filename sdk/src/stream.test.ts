import { describe, expect, it } from 'vitest';
import { Client } from './client.ts';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AttendError, RateLimitError } from './errors.ts';
import type { TranslationStreamEvent } from './stream.ts';
import { fakeFetch, json, recordingSleep, sseBody, sseEvent, sseResponse, type SeenRequest } from './test-support.ts';

const usage = { input_tokens: 3, output_tokens: 2 };
const START = { type: 'start', model: 'en-es', source: 'en', target: 'es', count: 1 } as const;
const EVENTS = [
  START,
  { type: 'delta', index: 0, text: 'Buenos' },
  { type: 'delta', index: 0, text: ' días' },
  { type: 'done', index: 0, text: 'Buenos días', usage },
] as const;
const WIRE = EVENTS.map(sseEvent);

function client(replies: Array<(request: SeenRequest) => Response | Promise<Response>>, timeout?: number) {
  const { sleep, delays } = recordingSleep();
  const { fetch, requests } = fakeFetch(replies);
  return { client: new Client({ baseURL: 'http://x', fetch, sleep, timeout }), requests, delays };
}

async function collect(iterable: AsyncIterable<TranslationStreamEvent>): Promise<TranslationStreamEvent[]> {
  const events: TranslationStreamEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

describe('client.translate.stream', () => {
  it('yields the typed events and asks for an event stream', async () => {
    const { client: c, requests } = client([() => sseResponse(sseBody(WIRE).body)]);
    const stream = c.translate.stream({ text: 'Good morning', target: 'es' });
    expect(await collect(stream)).toEqual(EVENTS);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'http://x/v1/translate',
      body: { text: 'Good morning', target: 'es', stream: true },
      headers: { accept: 'text/event-stream' },
    });
    expect(await stream.finalText()).toBe('Buenos días');
  });

  it('gives the final text and response without iterating', async () => {
    const { client: c } = client([() => sseResponse(sseBody(WIRE).body)]);
    const stream = c.translate.stream({ text: 'Good morning', target: 'es' });
    expect(await stream.finalResponse()).toEqual({
      translations: [{ text: 'Buenos días', usage }],
      model: 'en-es',
      source: 'en',
      target: 'es',
      usage,
    });
    expect(await stream.finalText()).toBe('Buenos días');
  });

  it('keeps the detected source language of the start event, as the JSON answer has it', async () => {
    const detected_language = { language: 'en', confidence: 0.98 };
    const { client: c } = client([() => sseResponse(sseBody([{ ...START, detected_language }, ...EVENTS.slice(1)].map(sseEvent)).body)]);
    expect(await c.translate.stream({ text: 'Good morning', target: 'es', source: 'auto' }).finalResponse()).toMatchObject({
      source: 'en',
      detected_language,
    });
  });

  it('assembles a batch in index order and sums usage', async () => {
    const wire = [
      { ...START, count: 2 },
      { type: 'delta', index: 0, text: 'Hola' },
      { type: 'done', index: 0, text: 'Hola', usage },
      { type: 'delta', index: 1, text: 'Adiós' },
      { type: 'done', index: 1, text: 'Adiós', usage },
    ].map(sseEvent);
    const { client: c } = client([() => sseResponse(sseBody(wire).body)]);
    const stream = c.translate.stream({ text: ['Hello', 'Goodbye'], target: 'es' });
    expect(await stream.finalTexts()).toEqual(['Hola', 'Adiós']);
    expect((await stream.finalResponse()).usage).toEqual({ input_tokens: 6, output_tokens: 4 });
    await expect(stream.finalText()).rejects.toThrow(/use `finalTexts\(\)`/);
  });

  it('skips events outside the protocol union', async () => {
    const wire = [WIRE[0] as string, 'event: ping\ndata: {}\n\n', 'data: plain message\n\n', ...WIRE.slice(1)];
    const { client: c } = client([() => sseResponse(sseBody(wire).body)]);
    expect(await collect(c.translate.stream({ text: 'a', target: 'es' }))).toEqual(EVENTS);
  });

  it('throws an error event as an APIError after the events before it', async () => {
    const failure = sseEvent({ type: 'error', error: { type: 'internal_error', message: 'decoder failed' } });
    const { client: c, requests } = client([
      () => sseResponse(sseBody([WIRE[0] as string, WIRE[1] as string, failure]).body, { 'x-request-id': 'req_9' }),
    ]);
    const seen: TranslationStreamEvent[] = [];
    const stream = c.translate.stream({ text: 'a', target: 'es' });
    const error = await (async () => {
      for await (const event of stream) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(EVENTS.slice(0, 2));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: undefined, type: 'internal_error', requestID: 'req_9' });
    expect(requests).toHaveLength(1);
    await expect(stream.finalText()).rejects.toBe(error);
  });

  it('aborts the request when the loop is left early', async () => {
    const body = sseBody(WIRE, { end: 'hang' });
    const { client: c, requests } = client([() => sseResponse(body.body)]);
    const stream = c.translate.stream({ text: 'a', target: 'es' });
    for await (const event of stream) {
      expect(event.type).toBe('start');
      break;
    }
    expect(body.cancelled()).toBe(true);
    expect(requests[0]?.signal.aborted).toBe(true);
    await expect(stream.finalText()).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it.each([
    ['errors the body on abort', (signal: AbortSignal) => sseBody([WIRE[0] as string], { end: 'hang', signal })],
    ['never errors the body', () => sseBody([WIRE[0] as string], { end: 'hang' })],
  ] as const)('stream.abort() ends a pending read with APIUserAbortError when the fetch given %s', async (_, makeBody) => {
    const { client: c } = client([({ signal }) => sseResponse(makeBody(signal).body)]);
    const stream = c.translate.stream({ text: 'a', target: 'es' });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual(START);
    const pending = iterator.next();
    stream.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(stream.controller.signal.aborted).toBe(true);
  });

  it('aborts on the caller signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const { client: c, requests } = client([() => sseResponse(sseBody(WIRE).body)]);
    await expect(c.translate.stream({ text: 'a', target: 'es' }, { signal: controller.signal }).finalText()).rejects.toBeInstanceOf(
      APIUserAbortError,
    );
    expect(requests).toHaveLength(0);
  });

  it('retries before the first event: on a status, a dropped body and an empty body', async () => {
    const { client: c, requests, delays } = client([
      () => json(429, {}, { 'retry-after': '1' }),
      () => sseResponse(sseBody([': hello\n\n'], { end: 'error' }).body),
      () => sseResponse(sseBody([]).body),
      () => sseResponse(sseBody(WIRE).body),
    ]);
    const stream = c.translate.stream({ text: 'a', target: 'es' }, { maxRetries: 3 });
    expect(await stream.finalText()).toBe('Buenos días');
    expect(requests).toHaveLength(4);
    expect(delays[0]).toBe(1000);
  });

  it('gives up before the first event once retries run out', async () => {
    const { client: c } = client([() => json(429, {}), () => json(429, {}), () => json(429, {})]);
    await expect(c.translate.stream({ text: 'a', target: 'es' }).finalText()).rejects.toBeInstanceOf(RateLimitError);
  });

  it('does not retry once an event has arrived', async () => {
    const { client: c, requests } = client([
      () => sseResponse(sseBody(WIRE.slice(0, 2), { end: 'error' }).body),
      () => sseResponse(sseBody(WIRE).body),
    ]);
    const stream = c.translate.stream({ text: 'a', target: 'es' });
    const seen: TranslationStreamEvent[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(EVENTS.slice(0, 2));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(requests).toHaveLength(1);
  });

  it('reports a stream that closes before every text is done', async () => {
    const { client: c } = client([() => sseResponse(sseBody(WIRE.slice(0, 3)).body)]);
    await expect(c.translate.stream({ text: 'a', target: 'es' }).finalText()).rejects.toThrow(
      /Stream ended after 0 of 1 translations/,
    );
  });

  it('times out while waiting for the first event, not after it', async () => {
    const { client: c } = client(
      [
        ({ signal }) => sseResponse(sseBody([], { end: 'hang', signal }).body),
        ({ signal }) => sseResponse(sseBody([], { end: 'hang', signal }).body),
        ({ signal }) => sseResponse(sseBody([], { end: 'hang', signal }).body),
      ],
      10,
    );
    await expect(c.translate.stream({ text: 'a', target: 'es' }).finalText()).rejects.toBeInstanceOf(APIConnectionTimeoutError);

    const { client: patient } = client([({ signal }) => sseResponse(sseBody(WIRE.slice(0, 1), { end: 'hang', signal }).body)], 10);
    const stream = patient.translate.stream({ text: 'a', target: 'es' });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual(START);
    const next = iterator.next();
    const outcome = await Promise.race([next.then(() => 'event'), new Promise((r) => setTimeout(() => r('still open'), 50))]);
    expect(outcome).toBe('still open');
    stream.abort();
    await expect(next).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('refuses an answer that is not an event stream, without retrying', async () => {
    const { client: c, requests } = client([() => json(200, { translations: [] })]);
    const error = await c.translate.stream({ text: 'a', target: 'es' }).finalText().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as Error).message).toBe(
      '200 Expected an event stream from POST /v1/translate, got `application/json`; is baseURL an Attend server?',
    );
    expect(requests).toHaveLength(1);
  });

  it('can be consumed once', async () => {
    const { client: c } = client([() => sseResponse(sseBody(WIRE).body)]);
    const stream = c.translate.stream({ text: 'a', target: 'es' });
    await collect(stream);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(AttendError);
  });
});

describe('stream.withResponse', () => {
  it('resolves with the response and request id once the first event is in; iterating then yields every event', async () => {
    const { client: c, requests } = client([() => sseResponse(sseBody(WIRE).body, { 'x-request-id': 'req_sse' })]);
    const stream = c.translate.stream({ text: 'a', target: 'es' });
    const { data, response, request_id } = await stream.withResponse();
    expect(data).toBe(stream);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(request_id).toBe('req_sse');
    expect(await collect(data)).toEqual(EVENTS);
    expect((await stream.withResponse()).request_id).toBe('req_sse');
    expect(requests).toHaveLength(1);
  });

  it('rejects as the request does, and an abort after it still ends the stream', async () => {
    const { client: failing } = client([() => json(404, { error: { type: 'not_found', message: 'no model' } })]);
    const failed = failing.translate.stream({ text: 'a', target: 'es' });
    const error = await failed.withResponse().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, type: 'not_found' });
    await expect(failed.finalText()).rejects.toBe(error);

    const body = sseBody(WIRE, { end: 'hang' });
    const { client: c } = client([() => sseResponse(body.body)]);
    const stream = c.translate.stream({ text: 'a', target: 'es' });
    await stream.withResponse();
    stream.abort();
    await expect(stream.finalText()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(body.cancelled()).toBe(true);
  });
});
