import { APIUserAbortError, Client, NotFoundError, type TranslateParams } from '@attend/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveTranslation, type TranslationView } from './live-translation.ts';

const USAGE = { input_tokens: 3, output_tokens: 2 };

/** A stream of `pieces` as delta events; `hang` leaves it open until the request is aborted. */
function eventStream(init: RequestInit, pieces: string[], hang: boolean): Response {
  const events: [string, object][] = [
    ['start', { model: 'en-es', source: 'en', target: 'es', count: 1 }],
    ...pieces.map((text): [string, object] => ['delta', { index: 0, text }]),
    ...(hang ? [] : [['done', { index: 0, text: pieces.join(''), usage: USAGE }] as [string, object]]),
  ];
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const [name, data] of events) controller.enqueue(encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
      if (!hang) controller.close();
      init.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

/** A client whose server answers each text with the reply registered for it. */
function clientFor(replies: Record<string, (init: RequestInit) => Response>): { client: Client; texts: string[] } {
  const texts: string[] = [];
  const fetch = async (_url: string, init: RequestInit) => {
    const { text } = JSON.parse(String(init.body)) as TranslateParams;
    texts.push(String(text));
    const reply = replies[String(text)];
    if (!reply) throw new Error(`no reply for ${String(text)}`);
    return reply(init);
  };
  return { client: new Client({ baseURL: 'http://attend.test', fetch, maxRetries: 0 }), texts };
}

function recorder(): { view: TranslationView; calls: string[]; errors: unknown[] } {
  const calls: string[] = [];
  const errors: unknown[] = [];
  const view: TranslationView = {
    started: (request) => calls.push(`started ${String(request.text)}`),
    delta: (delta) => calls.push(`delta ${delta.text}`),
    done: (answer) => calls.push(`done ${answer.translations[0]?.text}`),
    stopped: () => calls.push('stopped'),
    failed: (error) => {
      calls.push('failed');
      errors.push(error);
    },
  };
  return { view, calls, errors };
}

const request = (text: string): TranslateParams => ({ text, source: 'en', target: 'es' });

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveTranslation', () => {
  it('streams deltas into the view, then the final answer', async () => {
    const { client } = clientFor({ Hi: (init) => eventStream(init, ['Ho', 'la'], false) });
    const { view, calls } = recorder();
    await new LiveTranslation(() => client, view).run(request('Hi'));
    expect(calls).toEqual(['started Hi', 'delta Ho', 'delta la', 'done Hola']);
  });

  it('lets only the newest request write: the one it replaced ends silently', async () => {
    const { client } = clientFor({
      slow: (init) => eventStream(init, ['uno'], true),
      fast: (init) => eventStream(init, ['dos'], false),
    });
    const { view, calls } = recorder();
    const live = new LiveTranslation(() => client, view);
    const first = live.run(request('slow'));
    await vi.waitFor(() => expect(calls).toContain('delta uno'));
    await live.run(request('fast'));
    await first;
    expect(calls).toEqual(['started slow', 'delta uno', 'started fast', 'delta dos', 'done dos']);
  });

  it('reports a stop, and keeps the text that had arrived', async () => {
    const { client } = clientFor({ long: (init) => eventStream(init, ['a', 'b'], true) });
    const { view, calls } = recorder();
    const live = new LiveTranslation(() => client, view);
    const run = live.run(request('long'));
    await vi.waitFor(() => expect(calls).toContain('delta b'));
    expect(live.streaming).toBe(true);
    live.stop();
    await run;
    expect(calls).toEqual(['started long', 'delta a', 'delta b', 'stopped']);
    expect(live.streaming).toBe(false);
  });

  it('hands server errors to the view', async () => {
    const missing = { error: { type: 'unsupported_language_pair', message: 'no model for en -> fr' } };
    const { client } = clientFor({ Hi: () => Response.json(missing, { status: 404 }) });
    const { view, calls, errors } = recorder();
    await new LiveTranslation(() => client, view).run(request('Hi'));
    expect(calls).toEqual(['started Hi', 'failed']);
    expect(errors[0]).toBeInstanceOf(NotFoundError);
    expect(errors[0]).not.toBeInstanceOf(APIUserAbortError);
  });

  it('waits for a pause in typing, and does not resend the request last sent', async () => {
    vi.useFakeTimers();
    const { client, texts } = clientFor({ Hel: (init) => eventStream(init, ['x'], false), Hello: (init) => eventStream(init, ['Hola'], false) });
    const { view, calls } = recorder();
    const live = new LiveTranslation(() => client, view);
    live.schedule(request('Hel'));
    await vi.advanceTimersByTimeAsync(200);
    live.schedule(request('Hello'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(texts).toEqual(['Hello']);
    live.schedule(request('Hello'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(texts).toEqual(['Hello']);
    expect(calls.at(-1)).toBe('done Hola');
  });

  it('cancels without a word on reset, and then sends the same request again', async () => {
    const { client, texts } = clientFor({ Hi: (init) => eventStream(init, ['Ho'], true) });
    const { view, calls } = recorder();
    const live = new LiveTranslation(() => client, view);
    const run = live.run(request('Hi'));
    await vi.waitFor(() => expect(calls).toContain('delta Ho'));
    live.reset();
    await run;
    expect(calls).toEqual(['started Hi', 'delta Ho']);
    void live.run(request('Hi'));
    await vi.waitFor(() => expect(texts).toEqual(['Hi', 'Hi']));
    live.reset();
  });
});
