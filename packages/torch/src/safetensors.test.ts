import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { torch } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'attend-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample() {
  return {
    'encoder.weight': torch.tensor([1.5, -2, 0.25, 8], [2, 2]),
    'scale.f64': torch.tensor(new Float64Array([Math.PI]), []),
    'ids.i64': torch.tensor(new BigInt64Array([1n, -2n, 2n ** 40n]), [3]),
    'ids.i32': torch.tensor(new Int32Array([7]), [1, 1]),
    mask: torch.tensor(new Uint8Array([1, 0, 1]), [3]),
  };
}

describe('safetensors', () => {
  it('round-trips every dtype, shape and the metadata', () => {
    const path = join(dir, 'round-trip.safetensors');
    const tensors = sample();
    torch.saveSafetensors(path, tensors, { format: 'pt', step: '12' });
    const loaded = torch.loadSafetensors(path);
    expect(loaded.metadata).toEqual({ format: 'pt', step: '12' });
    expect(Object.keys(loaded.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, original] of Object.entries(tensors)) {
      const copy = loaded.tensors[name]!;
      expect([copy.dtype, copy.shape, copy.data()]).toEqual([original.dtype, original.shape, original.data()]);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('writes a valid safetensors file', () => {
    const path = join(dir, 'format.safetensors');
    torch.saveSafetensors(path, sample());
    const bytes = readFileSync(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = Number(view.getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header.__metadata__).toBeUndefined();
    expect(header['encoder.weight']).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: expect.any(Array) });
    expect(Object.fromEntries(Object.entries(header).map(([k, v]) => [k, (v as { dtype: string }).dtype]))).toEqual({
      'encoder.weight': 'F32',
      'scale.f64': 'F64',
      'ids.i64': 'I64',
      'ids.i32': 'I32',
      mask: 'BOOL',
    });

    // The data offsets tile the data section exactly, with no gap or overlap.
    const dataStart = 8 + headerLength;
    const spans = Object.values(header as Record<string, { data_offsets: [number, number] }>)
      .map((e) => e.data_offsets)
      .sort((a, b) => a[0] - b[0]);
    expect(spans[0]![0]).toBe(0);
    spans.slice(1).forEach((span, i) => expect(span[0]).toBe(spans[i]![1]));
    expect(spans.at(-1)![1]).toBe(bytes.length - dataStart);

    // Little-endian element bytes at their offsets.
    const at = (name: string) => dataStart + header[name].data_offsets[0];
    expect(view.getFloat32(at('encoder.weight') + 4, true)).toBe(-2);
    expect(view.getFloat64(at('scale.f64'), true)).toBe(Math.PI);
    expect(view.getBigInt64(at('ids.i64') + 16, true)).toBe(2n ** 40n);
    expect(view.getInt32(at('ids.i32'), true)).toBe(7);
    expect([...bytes.subarray(at('mask'), at('mask') + 3)]).toEqual([1, 0, 1]);
    // Widest elements first keeps every tensor aligned to its element size.
    expect(at('ids.i64') % 8).toBe(0);
  });

  it('reads a file written by hand to the spec', () => {
    const json = JSON.stringify({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, __metadata__: { a: 'b' } });
    const header = Buffer.from(json);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    const path = join(dir, 'by-hand.safetensors');
    writeFileSync(path, Buffer.concat([length, header, Buffer.from(new Float32Array([3, -1]).buffer)]));
    const { tensors, metadata } = torch.loadSafetensors(path);
    expect([tensors.w?.toArray(), metadata]).toEqual([[3, -1], { a: 'b' }]);
  });

  it('rejects malformed files and unsupported dtypes', () => {
    const write = (name: string, header: object, data = Buffer.alloc(0)) => {
      const json = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(json.length));
      writeFileSync(join(dir, name), Buffer.concat([length, json, data]));
      return join(dir, name);
    };
    expect(() => torch.loadSafetensors(write('f16.safetensors', { h: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }, Buffer.alloc(2)))).toThrow(
      /dtype F16/,
    );
    expect(() => torch.loadSafetensors(write('short.safetensors', { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, Buffer.alloc(4)))).toThrow(
      /bad data_offsets/,
    );
    writeFileSync(join(dir, 'tiny.safetensors'), Buffer.alloc(3));
    expect(() => torch.loadSafetensors(join(dir, 'tiny.safetensors'))).toThrow(/not a valid safetensors/);
  });
});
