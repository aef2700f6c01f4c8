// Newline-delimited JSON, one value a line: the format of `TranslationStream.toReadableStream()`, as
// of openai-node's `Stream.toReadableStream()`. A server hands such a stream on to a browser (as a
// response body), which reads it back with `TranslationStream.fromReadableStream()`.

/** A byte stream of the iterator's values, one JSON line each; cancelling it calls `onCancel` and closes the iterator. */
export function toJSONLines(iterator: AsyncIterator<unknown>, onCancel: () => void): ReadableStream<Uint8Array> {
  const utf8 = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(utf8.encode(`${JSON.stringify(value)}\n`));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      // First `onCancel`, since `return()` waits for a read in flight, which only an abort ends.
      onCancel();
      await iterator.return?.();
    },
  });
}

/**
 * Yields the non-blank lines of a byte stream, split anywhere (a UTF-8 sequence included). `signal`
 * cancels the body, which ends the lines; so does leaving the loop early.
 */
export async function* iterateLines(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<string> {
  const utf8 = new TextDecoder();
  // getReader() rather than `for await` over the stream: Safari's ReadableStream is not async-iterable.
  const reader = body.getReader();
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  let pending = '';
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const lines = (pending + (done ? utf8.decode() : utf8.decode(value, { stream: true }))).split('\n');
      pending = done ? '' : (lines.pop() ?? '');
      for (const line of lines) if (line.trim() !== '') yield line;
      if (done) break;
    }
    finished = true;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
