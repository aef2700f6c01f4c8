import { AnswerBuilder } from './answer-builder.ts';
import type { WithResponse } from './api-promise.ts';
import { APIConnectionError, APIError, APIUserAbortError, AttendError } from './errors.ts';
import { iterateLines, toJSONLines } from './json-lines.ts';
import { iterateSSE } from './sse.ts';
import type { StreamEvent, TranslateResponse } from './types.ts';

/** The events a {@link TranslationStream} yields: every {@link StreamEvent} but `error`, which it throws. */
export type TranslationStreamEvent = Exclude<StreamEvent, { type: 'error' }>;

/** An opened stream: its first event (already read, so a failure before it could be retried) and the rest. */
export interface OpenedStream {
  readonly first: IteratorResult<TranslationStreamEvent>;
  readonly rest: AsyncIterator<TranslationStreamEvent>;
  /** Detaches the request from the caller's signal once the stream is over. */
  readonly release: () => void;
  /** The HTTP response; undefined for a stream read from a `ReadableStream`. */
  readonly response?: Response | undefined;
}

const EVENT_TYPES: ReadonlySet<string> = new Set(['start', 'delta', 'done', 'error']);

/**
 * Turns an SSE body into protocol events: an `error` event becomes a thrown {@link APIError}, a
 * failure while reading becomes what `fail` maps it to (a connection or abort error). Events with
 * other names are skipped, so that a newer server's additions do not break this client.
 */
export async function* decodeEvents(
  body: ReadableStream<Uint8Array>,
  headers: Headers,
  fail: (error: unknown) => unknown,
): AsyncGenerator<TranslationStreamEvent> {
  try {
    for await (const message of iterateSSE(body)) {
      if (!EVENT_TYPES.has(message.event)) continue;
      const fields = parseObject(message.data);
      if (!fields) {
        throw new APIError(undefined, undefined, `Malformed \`${message.event}\` event: ${message.data.slice(0, 200)}`, headers);
      }
      const event = eventOf({ ...fields, type: message.event }, message.data, headers);
      if (event) yield event;
    }
  } catch (error) {
    throw fail(error);
  }
}

/** Turns the JSON lines of {@link TranslationStream.toReadableStream} back into events, as {@link decodeEvents} does SSE. */
async function* decodeJSONLines(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<TranslationStreamEvent> {
  try {
    for await (const line of iterateLines(body, signal)) {
      const fields = parseObject(line);
      if (!fields) throw new APIError(undefined, undefined, `Malformed line in an event stream: ${line.slice(0, 200)}`, undefined);
      const event = eventOf(fields, line, undefined);
      if (event) yield event;
    }
  } catch (error) {
    if (error instanceof AttendError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new APIConnectionError(`Reading the event stream failed: ${message}`, { cause: error });
  }
}

/** The event the fields describe; undefined for a type this SDK does not know; an `error` event is thrown. */
function eventOf(fields: Record<string, unknown>, raw: string, headers: Headers | undefined): TranslationStreamEvent | undefined {
  if (typeof fields.type !== 'string' || !EVENT_TYPES.has(fields.type)) return undefined;
  const event = fields as unknown as StreamEvent;
  if (event.type === 'error') throw APIError.generate(undefined, event, event.error?.message ?? raw, headers);
  return event;
}

function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A streamed translation. Iterate it with `for await` to get events as they arrive, or await
 * {@link TranslationStream.finalText} / {@link TranslationStream.finalResponse}. The request starts
 * on first use. Leaving the loop early, {@link TranslationStream.abort}, or the `signal` given in the
 * request options abort the request; pending and later reads then reject with `APIUserAbortError`.
 * A stream can be consumed once: by iterating it, by a `final*()` method, or by {@link TranslationStream.toReadableStream}.
 */
export class TranslationStream implements AsyncIterable<TranslationStreamEvent> {
  /** Aborting it aborts the request. */
  readonly controller: AbortController = new AbortController();
  readonly #send: (signal: AbortSignal) => Promise<OpenedStream>;
  #opened: Promise<OpenedStream> | undefined;
  #started = false;
  readonly #result: Promise<TranslateResponse>;
  #settle!: { resolve: (r: TranslateResponse) => void; reject: (e: unknown) => void };
  #unlink = () => {};

  /** Used by `client.translate.stream`; `open` sends the request under `signal`. */
  constructor(open: (signal: AbortSignal) => Promise<OpenedStream>, signal?: AbortSignal) {
    this.#send = open;
    this.#result = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Nobody may ask for the result; an abort must not then surface as an unhandled rejection.
    this.#result.catch(() => undefined);
    if (signal?.aborted) this.controller.abort(signal.reason);
    else if (signal) {
      const onAbort = () => this.controller.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      // A long-lived caller signal must not keep every finished stream alive.
      this.#unlink = () => signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A stream of the events as JSON lines (`{"type":"delta",...}\n`), e.g. to pass on as a response
   * body; {@link TranslationStream.fromReadableStream} reads it back. Cancelling it aborts the request;
   * a failure errors it.
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    return toJSONLines(this[Symbol.asyncIterator](), () => this.abort());
  }

  /**
   * The stream of the JSON lines that {@link TranslationStream.toReadableStream} makes, e.g. a
   * `fetch` response body in a browser. `signal` aborts the reading.
   */
  static fromReadableStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): TranslationStream {
    return new TranslationStream(async (abort) => {
      const rest = decodeJSONLines(body, abort);
      const first = await rest.next();
      if (first.done && abort.aborted) throw new APIUserAbortError({ cause: abort.reason });
      if (first.done) throw new APIConnectionError('The stream ended before its first event.');
      return { first, rest, release: () => undefined };
    }, signal);
  }

  /**
   * Sends the request if it is not sent yet and resolves once the first event is in, with the HTTP
   * response and the request id; then iterate `data` (this stream) as usual, or `abort()` it.
   */
  async withResponse(): Promise<WithResponse<TranslationStream>> {
    const { response } = await this.#open();
    if (!response) throw new AttendError('This stream was read from a ReadableStream; it has no HTTP response.');
    return { data: this, response, request_id: response.headers.get('x-request-id') };
  }

  /** Aborts the request; a pending `next()` or `finalText()` rejects with `APIUserAbortError`. */
  abort(): void {
    this.controller.abort();
  }

  /** Iterates the events as they arrive; a stream can be iterated once. */
  [Symbol.asyncIterator](): AsyncIterator<TranslationStreamEvent> {
    if (this.#started) {
      throw new AttendError('This stream was already consumed; call `client.translate.stream()` again for a new one.');
    }
    this.#started = true;
    return this.#run();
  }

  /** The complete answer, shaped as the non-streamed `client.translate()` answer. */
  finalResponse(): Promise<TranslateResponse> {
    if (!this.#started) void this.#drain();
    return this.#result;
  }

  /** The translations of every text, in input order. */
  async finalTexts(): Promise<string[]> {
    return (await this.finalResponse()).translations.map((t) => t.text);
  }

  /** The translation of the one text sent; rejects for a batch (use {@link TranslationStream.finalTexts}). */
  async finalText(): Promise<string> {
    const texts = await this.finalTexts();
    if (texts.length !== 1) {
      throw new AttendError(`This stream translated ${texts.length} texts; use \`finalTexts()\` for a batch.`);
    }
    return texts[0] as string;
  }

  // Sends the request once, whether iterating or `withResponse()` asks first.
  #open(): Promise<OpenedStream> {
    const { signal } = this.controller;
    this.#opened ??= signal.aborted ? Promise.reject(new APIUserAbortError({ cause: signal.reason })) : this.#send(signal);
    return this.#opened;
  }

  async #drain(): Promise<void> {
    try {
      for await (const _ of this) {
        // Consumed for its side effect on #result.
      }
    } catch {
      // #run already rejected #result with this error.
    }
  }

  async *#run(): AsyncGenerator<TranslationStreamEvent> {
    const answer = new AnswerBuilder();
    let opened: OpenedStream | undefined;
    let finished = false;
    let reading = false; // a read of the body is pending
    try {
      opened = await this.#open();
      // Opened by `withResponse()` before an abort: the abort still wins.
      if (this.controller.signal.aborted) throw new APIUserAbortError({ cause: this.controller.signal.reason });
      // A read pending at abort rejects at once, whatever the `fetch` given: not every body errors
      // when its request's signal aborts.
      const aborted = abortRejection(this.controller.signal);
      for (let next = opened.first; !next.done; ) {
        answer.add(next.value);
        yield next.value;
        reading = true;
        next = await Promise.race([opened.rest.next(), aborted]);
        reading = false;
      }
      this.#settle.resolve(answer.build());
      finished = true;
    } catch (error) {
      this.#settle.reject(error);
      throw error;
    } finally {
      // Reached early by `break` too: the abort cancels the body, which closes the connection.
      this.#settle.reject(new APIUserAbortError());
      if (!finished) this.controller.abort();
      // Left by `break` between reads, closing the events generator cancels the body now. Left by an
      // abort during a read, it would wait for that read, which a body that ignores the abort never
      // settles: the generator then closes (and cancels the body) whenever the read does.
      const closing = opened?.rest.return?.().catch(() => undefined);
      if (!reading) await closing;
      opened?.release();
      this.#unlink();
    }
  }
}

/** A promise that rejects with {@link APIUserAbortError} when `signal` aborts (and never resolves). */
function abortRejection(signal: AbortSignal): Promise<never> {
  const rejection = new Promise<never>((_, reject) => {
    const fail = () => reject(new APIUserAbortError({ cause: signal.reason }));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
  rejection.catch(() => undefined); // observed only when a read is pending
  return rejection;
}
