// One streamed translation through the worker's HTTP API (POST /v1/translate, stream: true), timed
// from the request to the first non-empty `delta` event and to the end of the stream.

export interface StreamTiming {
  /** To the first non-empty text (the worker sends no empty deltas). */
  readonly firstDeltaMs: number;
  readonly totalMs: number;
  readonly inputTokens: number;
  /** Decoder steps (EOS included). */
  readonly outputTokens: number;
  readonly text: string;
}

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Server-Sent Events from text chunks (https://html.spec.whatwg.org/#event-stream-interpretation). */
export async function* parseSse(chunks: AsyncIterable<string>): AsyncGenerator<SseEvent> {
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += chunk.replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const [field, value] = colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
  }
}

export interface StreamRequest {
  readonly baseURL: string;
  readonly apiKey: string;
  readonly model: string;
  readonly text: string;
  readonly maxTokens: number;
  readonly signal?: AbortSignal;
}

/** Throws on an HTTP error, an `error` event, or a stream that ends without `done`. */
export async function streamTranslate(request: StreamRequest): Promise<StreamTiming> {
  const start = performance.now();
  const response = await fetch(new URL('v1/translate', request.baseURL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${request.apiKey}` },
    body: JSON.stringify({ text: request.text, target: 'es', model: request.model, stream: true, options: { max_tokens: request.maxTokens } }),
    signal: request.signal,
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  let firstDeltaMs = Number.NaN;
  let done: { text: string; usage: { input_tokens: number; output_tokens: number } } | undefined;
  for await (const { event, data } of parseSse(response.body.pipeThrough(new TextDecoderStream()))) {
    if (event === 'delta' && Number.isNaN(firstDeltaMs)) firstDeltaMs = performance.now() - start;
    if (event === 'error') throw new Error(`error event: ${data}`);
    if (event === 'done') done = JSON.parse(data) as typeof done;
  }
  if (!done) throw new Error('the stream ended without a done event');
  const { usage, text } = done;
  return { firstDeltaMs, totalMs: performance.now() - start, inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, text };
}
