import { describe, expect, it } from 'vitest';
import { parseSse } from './serve-client.ts';

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

async function collect(...parts: string[]) {
  const events = [];
  for await (const event of parseSse(chunks(...parts))) events.push(event);
  return events;
}

describe('parseSse', () => {
  it('reassembles events split across chunks, with CRLF line ends', async () => {
    const events = await collect('event: start\r\ndata: {"a"', ':1}\r\n\r\nevent: delta\ndata: x\n', '\nevent: done\ndata: y\n\n');
    expect(events).toEqual([
      { event: 'start', data: '{"a":1}' },
      { event: 'delta', data: 'x' },
      { event: 'done', data: 'y' },
    ]);
  });

  it('joins multi-line data, defaults the type to message, skips comments and an unfinished tail', async () => {
    const events = await collect(': keep-alive\n\n', 'data: one\ndata:two\n\n', 'event: delta\ndata: cut');
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });
});
