import { describe, expect, it } from 'vitest';
import { fields, repeatedVarints } from './protobuf-reader.ts';
import { ProtoWriter } from './protobuf-writer.ts';

describe('protobuf fields', () => {
  it('reads back what ProtoWriter writes: varints, fixed32, strings, packed ints, messages', () => {
    const inner = new ProtoWriter();
    inner.int(1, 150);
    const w = new ProtoWriter();
    w.int(1, 2 ** 40);
    w.varint(8 * 2); // field 2, varint: -1 as ten bytes
    w.varint(-1);
    w.float(3, 1);
    w.string(4, 'testing');
    w.packedInts(5, [3, 270, 86942]);
    w.message(6, inner);
    const read = [...fields(w.finish())];
    expect(read.map((f) => [f.number, f.wire])).toEqual([[1, 0], [2, 0], [3, 5], [4, 2], [5, 2], [6, 2]]);
    expect(read[0]!.value).toBe(2n ** 40n);
    expect(BigInt.asIntN(64, read[1]!.value as bigint)).toBe(-1n);
    expect(new Float32Array(Uint32Array.of(Number(read[2]!.value)).buffer)[0]).toBe(1);
    expect(new TextDecoder().decode(read[3]!.value as Uint8Array)).toBe('testing');
    expect(repeatedVarints(read[4]!)).toEqual([3n, 270n, 86942n]);
    expect([...fields(read[5]!.value as Uint8Array)][0]!.value).toBe(150n);
  });

  it('refuses truncated input instead of reading past the end', () => {
    expect(() => [...fields(Uint8Array.of(0x08, 0x96))]).toThrow(/truncated varint/);
    expect(() => [...fields(Uint8Array.of(0x12, 0x07, 0x41))]).toThrow(/truncated length-delimited/);
    expect(() => [...fields(Uint8Array.of(0x15, 0x00))]).toThrow(/truncated fixed-size/);
  });
});
