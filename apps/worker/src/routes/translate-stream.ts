// The SSE answer of /v1/translate: `start`, then `delta`s and a `done` per text as the decoder
// produces tokens; a failure mid-stream becomes an `error` event, and the stream closes in `finally`.
// A client that disconnects aborts the decoding before its next model call. With `format: "html"`,
// each document's markup streams between its translated text nodes.
import type { DetectedLanguage, StreamEvent } from '@attend/protocol';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { errorBody, toApiError } from '../errors.ts';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import type { ModelLease } from '../models/model-store.ts';
import type { HtmlSplit } from '../translation/html.ts';
import { textEvents } from '../translation/html-events.ts';
import type { RequestPlan } from '../translation/request-plan.ts';
import { type AnswerOptions, TextAnswers } from './answer-fields.ts';
import { type SseWriter, sseResponse } from './sse-response.ts';

/** What a request adds to its planned texts: how many texts it sent, their HTML, the detected source. */
export interface RequestInput {
  readonly count: number;
  /** With `format: "html"`: each text's split; the plan holds their text nodes, in order. */
  readonly docs?: readonly HtmlSplit[] | undefined;
  readonly detected?: DetectedLanguage | undefined;
  /** What each text's `done` adds: words, alternatives. */
  readonly answer: AnswerOptions;
}

export function streamTranslation(
  c: Context<AppEnv>,
  lease: ModelLease<Translator>,
  plan: RequestPlan,
  options: GenerateOptions,
  input: RequestInput,
): Response {
  const disconnected = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, disconnected.signal]) : disconnected.signal;
  // The request's log line waits for the stream's end, when its token counts are known.
  let ended = () => {};
  c.set('logAfter', new Promise<void>((resolve) => (ended = resolve)));
  const usage = { input_tokens: 0, output_tokens: 0 };
  let failure: string | undefined;
  const run = async (sse: SseWriter) => {
    const send = (event: StreamEvent) => sse.send(event.type, JSON.stringify(event));
    try {
      const { id, source, target } = lease.model.manifest;
      const detected = input.detected ? { detected_language: input.detected } : {};
      await send({ type: 'start', model: id, source, target, count: input.count, ...detected });
      let written: Promise<void> = Promise.resolve();
      const answers = new TextAnswers(input.answer);
      for await (const event of textEvents(lease.model, plan, { ...options, signal }, input.docs)) {
        const fields = answers.read(event);
        if (event.type === 'delta' && event.text === '' && event.tokens === 0) continue;
        if (event.type === 'done') {
          usage.input_tokens += event.usage.input_tokens;
          usage.output_tokens += event.usage.output_tokens;
        }
        // Not awaited: the writer keeps events in order, and waiting for the client to read each one
        // would stall the decoder once per token. What can queue is bounded by max_tokens per text.
        written = send(
          event.type === 'done'
            ? { type: 'done', index: event.index, text: event.text, usage: event.usage, finish_reason: event.finishReason, ...fields! }
            : { type: 'delta', index: event.index, text: event.text, logprob: Math.min(0, event.logprob), tokens: event.tokens },
        );
      }
      await written;
    } catch (error) {
      if (signal.aborted) failure = 'client_closed';
      else {
        const apiError = toApiError(error);
        failure = apiError.type;
        await send({ type: 'error', error: errorBody(apiError).error });
      }
    } finally {
      lease.release();
      c.set('logFields', { model: lease.model.manifest.id, ...usage, ...(failure ? { error: failure } : {}) });
      ended();
    }
  };
  return sseResponse(c, run, () => disconnected.abort(new Error('client disconnected')));
}
