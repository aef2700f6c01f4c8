// Server-Sent Events, parsed as the WHATWG HTML standard specifies
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
// Bytes may arrive split anywhere: inside a field, inside a UTF-8 sequence, between CR and LF.

/** One dispatched Server-Sent Event: the `event` name (default `message`), its joined `data`, its `id`. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/**
 * Incremental SSE decoder: feed it byte chunks with {@link SSEDecoder.push}, get back the events
 * completed by each chunk; call {@link SSEDecoder.end} when the body ends.
 */
export class SSEDecoder {
  // `stream: true` keeps a UTF-8 sequence split across chunks until its last byte arrives;
  // the default `ignoreBOM: false` drops one leading byte-order mark, as the standard asks.
  readonly #utf8 = new TextDecoder('utf-8');
  #pending = '';
  // A chunk ending in CR may be half of a CRLF: the LF that opens the next chunk is not a second line end.
  #skipLeadingLF = false;
  #event = '';
  #data: string[] = [];
  #id: string | undefined = undefined;

  /** Decodes one chunk and returns the events it completes, in order. */
  push(chunk: Uint8Array): ServerSentEvent[] {
    return this.#lines(this.#utf8.decode(chunk, { stream: true }));
  }

  /** Flushes the decoder; an event not closed by a blank line is discarded, as the standard says. */
  end(): ServerSentEvent[] {
    const events = this.#lines(this.#utf8.decode());
    this.#pending = '';
    return events;
  }

  #lines(text: string): ServerSentEvent[] {
    let input = text;
    if (this.#skipLeadingLF && input.length > 0) {
      if (input.startsWith('\n')) input = input.slice(1);
      this.#skipLeadingLF = false;
    }
    const events: ServerSentEvent[] = [];
    const buffer = this.#pending + input;
    let start = 0;
    // The pending text holds no line end, so scanning resumes after it: a long line arriving in
    // many chunks is not rescanned from its start each time.
    for (let i = this.#pending.length; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const event = this.#line(buffer.slice(start, i));
      if (event) events.push(event);
      if (c === 13) {
        if (i + 1 === buffer.length) this.#skipLeadingLF = true;
        else if (buffer.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#pending = buffer.slice(start);
    return events;
  }

  #line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        // An id containing NUL is ignored (the standard's rule, so ids stay printable).
        if (!value.includes('\0')) this.#id = value;
        break;
      // `retry` tunes EventSource reconnection; this client does not reconnect, so it and unknown
      // fields are ignored.
    }
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    const event = this.#event;
    const data = this.#data;
    this.#event = '';
    this.#data = [];
    if (data.length === 0) return undefined;
    return { event: event === '' ? 'message' : event, data: data.join('\n'), id: this.#id };
  }
}

/**
 * Yields the events of an SSE body. Leaving the loop early (break, throw) cancels the body, which
 * closes the connection.
 */
export async function* iterateSSE(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new SSEDecoder();
  // getReader() rather than `for await` over the stream: Safari's ReadableStream is not async-iterable.
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* decoder.push(value);
    }
    finished = true;
    yield* decoder.end();
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
