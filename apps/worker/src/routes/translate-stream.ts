// The SSE answer of /v1/translate: `start`, then `delta`s and a `done` per text as the decoder
// produces tokens; a failure mid-stream becomes an `error` event, and the stream closes in `finally`.
// A client that disconnects aborts the decoding before its next model call.
import type { StreamEvent } from '@attend/protocol';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../app-env.ts';
import { errorBody, toApiError } from '../errors.ts';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import type { ModelLease } from '../models/model-store.ts';
import { translateTexts } from '../translation/translate-texts.ts';

export function streamTranslation(
  c: Context<AppEnv>,
  lease: ModelLease<Translator>,
  texts: readonly string[],
  options: GenerateOptions,
): Response {
  const disconnected = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, disconnected.signal]) : disconnected.signal;
  c.header('Cache-Control', 'no-store');
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => disconnected.abort(new Error('client disconnected')));
    const send = (event: StreamEvent) => stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
    try {
      const { id, source, target } = lease.model.manifest;
      await send({ type: 'start', model: id, source, target, count: texts.length });
      let written: Promise<void> = Promise.resolve();
      for await (const event of translateTexts(lease.model, texts, { ...options, signal })) {
        if (event.type === 'delta' && event.text === '') continue;
        // Not awaited: the writer keeps events in order, and waiting for the client to read each one
        // would stall the decoder once per token. What can queue is bounded by max_tokens per text.
        written = send(event);
      }
      await written;
    } catch (error) {
      if (!signal.aborted) await send({ type: 'error', error: errorBody(toApiError(error)).error });
    } finally {
      lease.release();
    }
  });
}
