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

/**
 * The same translation as one JSON answer (no SSE): its first text arrives with the last. The worker
 * caches JSON answers by exact input, so `spaces` leading spaces make each request distinct; the
 * worker copies whitespace around sentences, so the model sees the same tokens. Throws on a cache hit.
 */
export async function translateJson(request: StreamRequest & { readonly spaces: number }): Promise<StreamTiming> {
  const start = performance.now();
  const response = await fetch(new URL('v1/translate', request.baseURL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${request.apiKey}` },
    body: JSON.stringify({ text: ' '.repeat(request.spaces) + request.text, target: 'es', model: request.model, options: { max_tokens: request.maxTokens } }),
    signal: request.signal,
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { translations: [{ text: string }]; usage: { input_tokens: number; output_tokens: number } };
  if (response.headers.get('X-Cache') === 'HIT') throw new Error('a cached answer: vary `spaces` between requests');
  const totalMs = performance.now() - start;
  const { usage, translations } = body;
  return { firstDeltaMs: totalMs, totalMs, inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, text: translations[0].text.trimStart() };
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
  for await (const { event, data } of parseSse(textChunks(response.body))) {
    if (event === 'delta' && Number.isNaN(firstDeltaMs)) firstDeltaMs = performance.now() - start;
    if (event === 'error') throw new Error(`error event: ${data}`);
    if (event === 'done') done = JSON.parse(data) as typeof done;
  }
  if (!done) throw new Error('the stream ended without a done event');
  const { usage, text } = done;
  return { firstDeltaMs, totalMs: performance.now() - start, inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, text };
}

async function* textChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield decoder.decode(chunk.value, { stream: true });
    yield decoder.decode();
  } finally {
    reader.releaseLock();
  }
}
