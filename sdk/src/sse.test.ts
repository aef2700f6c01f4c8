import { describe, expect, it } from 'vitest';
import { iterateSSE, SSEDecoder, type ServerSentEvent } from './sse.ts';
import { sseBody } from './test-support.ts';

const utf8 = new TextEncoder();

function decodeAll(chunks: Uint8Array[]): ServerSentEvent[] {
  const decoder = new SSEDecoder();
  return [...chunks.flatMap((c) => decoder.push(c)), ...decoder.end()];
}

function decodeText(text: string): ServerSentEvent[] {
  return decodeAll([utf8.encode(text)]);
}

// A stream as the worker sends it, with what a proxy may add: a comment, a keep-alive, an id,
// two-, three- and four-byte UTF-8 characters, and all three line-end styles.
const RECORDED =
  ': stream opened\n' +
  'event: start\ndata: {"type":"start","model":"en-es","source":"en","target":"es","count":1}\n\n' +
  'event: delta\r\ndata: {"type":"delta","index":0,"text":"¿Qué tal?"}\r\n\r\n' +
  ':keep-alive\r\r' +
  'event: delta\rdata: {"type":"delta","index":0,"text":" Mañana € 😀"}\r\r' +
  'id: 7\nevent: done\ndata: {"type":"done","index":0,\ndata: "text":"¿Qué tal? Mañana € 😀","usage":{"input_tokens":4,"output_tokens":9}}\n\n';

const RECORDED_EVENTS: ServerSentEvent[] = [
  { event: 'start', data: '{"type":"start","model":"en-es","source":"en","target":"es","count":1}', id: undefined },
  { event: 'delta', data: '{"type":"delta","index":0,"text":"¿Qué tal?"}', id: undefined },
  { event: 'delta', data: '{"type":"delta","index":0,"text":" Mañana € 😀"}', id: undefined },
  {
    event: 'done',
    data: '{"type":"done","index":0,\n"text":"¿Qué tal? Mañana € 😀","usage":{"input_tokens":4,"output_tokens":9}}',
    id: '7',
  },
];

// Deterministic PRNG (mulberry32) so a failing split is reproducible from its seed.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SSEDecoder', () => {
  it('parses the recorded stream', () => {
    expect(decodeText(RECORDED)).toEqual(RECORDED_EVENTS);
  });

  it('gives the same events for a split at every byte offset', () => {
    const bytes = utf8.encode(RECORDED);
    for (let at = 0; at <= bytes.length; at++) {
      expect(decodeAll([bytes.subarray(0, at), bytes.subarray(at)]), `split at byte ${at}`).toEqual(RECORDED_EVENTS);
    }
  });

  it('gives the same events fed one byte at a time', () => {
    const bytes = utf8.encode(RECORDED);
    expect(decodeAll(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)))).toEqual(RECORDED_EVENTS);
  });

  it('gives the same events for random multi-way splits', () => {
    const bytes = utf8.encode(RECORDED);
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const cuts = Array.from({ length: 1 + Math.floor(next() * 12) }, () => Math.floor(next() * bytes.length));
      const bounds = [0, ...cuts.sort((a, b) => a - b), bytes.length];
      const chunks = bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
      expect(decodeAll(chunks), `seed ${seed}`).toEqual(RECORDED_EVENTS);
    }
  });

  it('does not read a CR at the end of a chunk and the LF opening the next as two line ends', () => {
    // Were the LF a second line end, it would end the event early and lose its name.
    const decoder = new SSEDecoder();
    expect(decoder.push(utf8.encode('event: delta\r'))).toEqual([]);
    expect(decoder.push(utf8.encode('\ndata: x\r'))).toEqual([]);
    expect(decoder.push(utf8.encode('\n\r\n'))).toEqual([{ event: 'delta', data: 'x', id: undefined }]);
  });

  it('follows the standard on fields, spaces, comments and empty data', () => {
    const text =
      '\uFEFFdata:no space\n\n' + // a leading BOM is dropped
      'data:  two spaces\n\n' + // only one space after the colon is stripped
      'data\n\n' + // a field without a colon has an empty value
      'event: lonely\n\n' + // no data: nothing is dispatched, and the name is reset
      'data: after\n\n' +
      ': comment\nretry: 10\nunknown: x\ndata: a\ndata:\ndata: b\n\n' +
      'id: 1\ndata: x\n\nid: 2\0\ndata: y\n\n'; // an id with NUL is ignored; the previous id stays
    expect(decodeText(text)).toEqual([
      { event: 'message', data: 'no space', id: undefined },
      { event: 'message', data: ' two spaces', id: undefined },
      { event: 'message', data: '', id: undefined },
      { event: 'message', data: 'after', id: undefined },
      { event: 'message', data: 'a\n\nb', id: undefined },
      { event: 'message', data: 'x', id: '1' },
      { event: 'message', data: 'y', id: '1' },
    ]);
  });

  it('discards an event the stream cuts off before its blank line', () => {
    expect(decodeText('data: complete\n\ndata: cut off\n')).toEqual([{ event: 'message', data: 'complete', id: undefined }]);
  });

  it('replaces invalid UTF-8 rather than failing', () => {
    expect(decodeAll([new Uint8Array([0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a])])).toEqual([
      { event: 'message', data: '\uFFFD', id: undefined },
    ]);
  });
});

describe('iterateSSE', () => {
  it('yields the events of a body', async () => {
    const { body } = sseBody([RECORDED.slice(0, 50), RECORDED.slice(50)]);
    const events: ServerSentEvent[] = [];
    for await (const event of iterateSSE(body)) events.push(event);
    expect(events).toEqual(RECORDED_EVENTS);
  });

  it('cancels the body when the loop is left early', async () => {
    const { body, cancelled } = sseBody([RECORDED], { end: 'hang' });
    for await (const event of iterateSSE(body)) {
      expect(event.event).toBe('start');
      break;
    }
    expect(cancelled()).toBe(true);
  });
});
