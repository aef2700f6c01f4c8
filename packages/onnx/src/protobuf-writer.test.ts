import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './protobuf-writer.ts';

const bytes = (write: (w: ProtoWriter) => void) => {
  const w = new ProtoWriter();
  write(w);
  return Array.from(w.finish());
};

describe('ProtoWriter', () => {
  it('encodes varints as the protobuf spec examples do', () => {
    expect(bytes((w) => w.int(1, 150))).toEqual([0x08, 0x96, 0x01]);
    expect(bytes((w) => w.varint(300))).toEqual([0xac, 0x02]);
    // int64 -1: ten bytes of two's complement
    expect(bytes((w) => w.varint(-1))).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(bytes((w) => w.varint(2n ** 40n))).toEqual(bytes((w) => w.varint(2 ** 40)));
  });

  it('length-prefixes strings, packed ints and nested messages', () => {
    expect(bytes((w) => w.string(2, 'testing'))).toEqual([0x12, 0x07, ...new TextEncoder().encode('testing')]);
    expect(bytes((w) => w.packedInts(4, [3, 270, 86942]))).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
    const inner = new ProtoWriter();
    inner.int(1, 150);
    expect(bytes((w) => w.message(3, inner))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });

  it('writes floats as little-endian fixed32', () => {
    expect(bytes((w) => w.float(2, 1))).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
  });
});
