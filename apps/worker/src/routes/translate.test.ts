import { DoneEventSchema, StreamEventSchema, TranslateResponseSchema, type DoneEvent, type StreamEvent } from '@attend/protocol';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearBucket } from '../../test/seed-r2.ts';
import { type ReceivedEvent, collectEvents, readEvents } from '../../test/sse.ts';
import { TEST_MODEL, seedTestModel } from '../../test/test-model.ts';
import { client, isolatedEnv, postJson } from '../../test/app-client.ts';
import { modelStoreFor } from '../middleware/model-store.ts';
import { isolateRows } from '../inference/isolate-rows.ts';

const testEnv = isolatedEnv();
const call = client(testEnv);
const post = (body: unknown, headers: Record<string, string> = {}) => postJson(call, '/v1/translate', body, headers);
const store = () => modelStoreFor(testEnv);

beforeAll(async () => {
  await clearBucket(env.MODELS);
  await seedTestModel(env.MODELS);
});

describe('POST /v1/translate', () => {
  it('loads the model once for concurrent first requests', async () => {
    expect(store().isLoaded(TEST_MODEL.id)).toBe(false);
    const responses = await Promise.all([1, 2, 3, 4].map((i) => post({ text: `Request ${i}.`, target: 'es', options: { max_tokens: 4 } })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(store().stats.loads).toBe(1);
    expect(store().users(TEST_MODEL.id)).toBe(0);
  });

  it('serves more concurrent requests than the isolate has rows for, streams and JSON interleaved', async () => {
    // Their decoder steps share the isolate's one onnxruntime instance; overlapping requests must
    // neither fail nor leave the runtime unusable for the requests after them, and those beyond the
    // row budget wait their turn.
    const beam_size = 8; // 8 rows per request
    const texts = Array.from({ length: isolateRows.limits.maxRows / beam_size + 4 }, (_, i) => `We will meet at the station ${i} times tomorrow morning.`);
    const responses = await Promise.all(texts.map((text, i) => post({ text, target: 'es', stream: i % 2 === 0, options: { max_tokens: 40, beam_size } })));
    expect(responses.map((r) => r.status)).toEqual(texts.map(() => 200));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    for (const body of bodies) expect(body).not.toContain('event: error');
    expect((await post({ text: 'Hello there.', target: 'es', options: { max_tokens: 40 } })).status).toBe(200);
    expect(isolateRows.rows).toBe(0);
  });

  it('translates one text with the real exported model, then answers the repeat from the cache', async () => {
    const request = { text: 'Hello there.', target: 'es', options: { max_tokens: 12 } };
    const response = await post(request);
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Request-Id')).toBeTruthy();
    expect(response.headers.get('X-Cache')).toBe('MISS');
    const body = TranslateResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ model: TEST_MODEL.id, source: 'en', target: 'es' });
    expect(body.translations).toHaveLength(1);
    expect(body.usage).toEqual(body.translations[0]!.usage);
    expect(body.usage.output_tokens).toBeGreaterThan(0);
    expect(body.usage.output_tokens).toBeLessThanOrEqual(12);
    const steps = store().stats.loads;
    const again = await post(request);
    expect(again.headers.get('X-Cache')).toBe('HIT');
    expect(await again.json()).toEqual(body);
    expect(store().stats.loads).toBe(steps);
  });

  it('decodes with the KV cache: one decoder step per generated token', async () => {
    const lease = await store().acquire(TEST_MODEL.id);
    const before = lease.model.decoderSteps;
    lease.release();
    const response = await post({ text: 'Where is the library?', target: 'es', options: { max_tokens: 9 } });
    const body = TranslateResponseSchema.parse(await response.json());
    expect(lease.model.decoderSteps - before).toBe(body.usage.output_tokens);
  });

  it('translates a batch in order, greedy and with beam search', async () => {
    const texts = ['One.', '', 'Two words.'];
    for (const beam_size of [1, 3]) {
      const response = await post({ text: texts, source: 'en', target: 'es', options: { beam_size, max_tokens: 6 } });
      const body = TranslateResponseSchema.parse(await response.json());
      expect(body.translations).toHaveLength(3);
      expect(body.translations[1]).toEqual({ text: '', usage: { input_tokens: 0, output_tokens: 0 }, finish_reason: 'stop', mean_logprob: 0 });
      const sum = body.translations.reduce((n, t) => n + t.usage.output_tokens, 0);
      expect(body.usage.output_tokens).toBe(sum);
    }
  });

  it('streams SSE events as tokens are produced; deltas concatenate to the final text', async () => {
    const lease = await store().acquire(TEST_MODEL.id);
    const translator = lease.model;
    lease.release();
    // The second text's sentence decodes beside the first (the request's lookahead) and needs more steps.
    const texts = ['Hello there.', 'Where is the big old library that we saw near the bridge yesterday morning']; // 18 and 40 steps at most
    const response = await post({ text: texts, target: 'es', stream: true, options: { max_tokens: 40 } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    const events: ReceivedEvent[] = [];
    let stepsAtFirstDelta: number | undefined;
    for await (const received of readEvents(response.body!)) {
      if (received.event.type === 'delta') stepsAtFirstDelta ??= translator.decoderSteps;
      events.push(received);
    }
    // Incremental: the first delta was read while the decoder still had steps to run.
    expect(stepsAtFirstDelta).toBeLessThan(translator.decoderSteps);
    for (const { event, name } of events) {
      expect(StreamEventSchema.parse(event)).toEqual(event);
      expect(name).toBe(event.type);
    }
    const types = events.map((e) => e.event.type);
    expect(types[0]).toBe('start');
    expect(types.filter((t) => t === 'done')).toHaveLength(2);
    expect(types).not.toContain('error');
    for (const index of [0, 1]) {
      const deltas = events.map((e) => e.event).filter((e): e is Extract<StreamEvent, { type: 'delta' }> => e.type === 'delta' && e.index === index);
      const done = DoneEventSchema.parse(events.find((e) => e.event.type === 'done' && e.event.index === index)!.event);
      expect(deltas.map((d) => d.text).join('')).toBe(done.text);
      expect(done.usage.output_tokens).toBeGreaterThan(0);
    }
  });

  it('always streams on /v1/translate/stream, the operation OpenAPI documents for SSE', async () => {
    const response = await postJson(call, '/v1/translate/stream', { text: 'Hi.', target: 'es', options: { max_tokens: 3 } });
    expect(response.headers.get('Content-Type')).toMatch(/text\/event-stream/);
    const events = await collectEvents(response);
    expect(events.at(-1)?.event.type).toBe('done');
  });

  it('streams when the client asks for text/event-stream', async () => {
    const response = await post({ text: 'Hi.', target: 'es', options: { max_tokens: 3 } }, { Accept: 'text/event-stream' });
    const events = await collectEvents(response);
    expect(events.at(-1)?.event.type).toBe('done');
  });

  it('splits long input into sentences and keeps the whitespace and line breaks between them', async () => {
    const sentences = ['The cat sleeps on the warm window sill.', 'We will meet at the station tomorrow morning.', 'Where is the library?'];
    const text = `  ${sentences[0]}\n\n${sentences[1]}  ${sentences[2]}\n`;
    const response = await post({ text, target: 'es', stream: true, options: { max_tokens: 5 } });
    const events = (await collectEvents(response)).map((e) => e.event);
    const done = events.find((e): e is DoneEvent => e.type === 'done')!;
    expect(done.text.startsWith('  ')).toBe(true);
    expect(done.text.endsWith('\n')).toBe(true);
    expect(done.text.split('\n\n')).toHaveLength(2);
    // Each sentence is encoded on its own (EOS each), so the source tokens sum over three sources.
    expect(done.usage.output_tokens).toBeLessThanOrEqual(3 * 5);
    expect(done.usage.output_tokens).toBeGreaterThanOrEqual(3);
    const joined = events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('');
    expect(joined).toBe(done.text);
  });

  it('splits a sentence longer than the model positions instead of failing', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const response = await post({ text: long, target: 'es', options: { max_tokens: 2 } });
    expect(response.status).toBe(200);
    const body = TranslateResponseSchema.parse(await response.json());
    expect(body.usage.input_tokens).toBeGreaterThan(48);
  });

  // Through app.fetch, so the test holds the worker's own response stream and request signal.
  const stream = (signal?: AbortSignal) => {
    const text = Array.from({ length: 12 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const body = JSON.stringify({ text, target: 'es', stream: true, options: { max_tokens: 40 } });
    return call('/v1/translate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal });
  };

  for (const how of ['cancels the response body', 'aborts the request'] as const) {
    it(`stops decoding when the client disconnects mid-stream (${how})`, async () => {
      const lease = await store().acquire(TEST_MODEL.id);
      const translator = lease.model;
      lease.release();
      const before = translator.decoderSteps;
      const disconnect = new AbortController();
      const response = await stream(disconnect.signal);
      let doneEvents = 0;
      for await (const { event } of readEvents(response.body!)) {
        if (event.type === 'done') doneEvents++;
        if (event.type !== 'delta') continue;
        if (how === 'cancels the response body') break; // readEvents cancels the body on break
        disconnect.abort(); // and keep reading: the stream must end by itself, without `done`
      }
      expect(doneEvents).toBe(0);
      await waitFor(() => store().users(TEST_MODEL.id) === 0);
      const stopped = translator.decoderSteps;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(translator.decoderSteps).toBe(stopped);
      // Twelve sentences of up to 40 tokens were asked for; a small fraction of the steps ran.
      expect(stopped - before).toBeLessThan((12 * 40) / 4);
    });
  }

  it('translates the text nodes of format "html", JSON and streamed alike, and keeps the markup as sent', async () => {
    const html = '<ul class="menu">\n  <li><a href="/file?a=1&amp;b=2">Open the <b>file</b></a></li>\n  <li><script>let x = "<i>";</script>Save</li>\n</ul>';
    const markup = /^<ul class="menu">\n {2}<li><a href="\/file\?a=1&amp;b=2">[^<>]*<b>[^<>]*<\/b><\/a><\/li>\n {2}<li><script>let x = "<i>";<\/script>[^<>]*<\/li>\n<\/ul>$/;
    const json = TranslateResponseSchema.parse(await (await post({ text: [html, 'No markup.'], source: 'en', target: 'es', format: 'html', options: { max_tokens: 6 } })).json());
    expect(json.translations[0]!.text).toMatch(markup);
    expect(json.translations[0]!.usage.input_tokens).toBeGreaterThan(0);
    const events = await collectEvents(await post({ text: html, source: 'en', target: 'es', format: 'html', stream: true, options: { max_tokens: 6 } }));
    const deltas = events.map((e) => e.event).filter((e) => e.type === 'delta').map((e) => e.text);
    const done = events.map((e) => e.event).find((e): e is DoneEvent => e.type === 'done')!;
    expect(deltas[0]).toBe('<ul class="menu">\n  <li><a href="/file?a=1&amp;b=2">'); // markup streams as soon as it is reached
    expect(deltas.join('')).toBe(done.text);
    expect(done.text).toMatch(markup);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
