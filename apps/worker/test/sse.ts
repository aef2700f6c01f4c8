// Reads a Server-Sent Events body as it arrives.
import type { StreamEvent } from '@attend/protocol';

export interface ReceivedEvent {
  readonly event: StreamEvent;
  readonly name: string; // the SSE `event:` field
}

export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ReceivedEvent> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.replace(/^data: ?/, '')).join('\n');
        yield { event: JSON.parse(data) as StreamEvent, name };
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

export async function collectEvents(response: Response): Promise<ReceivedEvent[]> {
  const events: ReceivedEvent[] = [];
  for await (const event of readEvents(response.body!)) events.push(event);
  return events;
}
