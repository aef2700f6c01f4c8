// A minimal protocol-buffers decoder, the reading half of protobuf-writer.ts: enough to walk an ONNX
// file's messages and take its initializers back. https://protobuf.dev/programming-guides/encoding/

export interface Field {
  readonly number: number;
  readonly wire: number;
  readonly value: bigint | Uint8Array; // varint and fixed values as integers; length-delimited as bytes
}

export function* fields(bytes: Uint8Array): Generator<Field> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const varint = (): bigint => {
    let [value, shift] = [0n, 0n];
    for (;;) {
      if (at >= bytes.length) throw new Error('protobuf: truncated varint');
      const byte = bytes[at++] as number;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const [number, wire] = [key >>> 3, key & 7];
    if (wire === 0) yield { number, wire, value: varint() };
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (at + size > bytes.length) throw new Error('protobuf: truncated fixed-size field');
      yield { number, wire, value: size === 8 ? view.getBigUint64(at, true) : BigInt(view.getUint32(at, true)) };
      at += size;
    } else if (wire === 2) {
      const length = Number(varint());
      if (at + length > bytes.length) throw new Error('protobuf: truncated length-delimited field');
      yield { number, wire, value: bytes.subarray(at, at + length) };
      at += length;
    } else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
}

/** The values of a repeated int64 field, packed or not. */
export function repeatedVarints(field: Field): bigint[] {
  if (typeof field.value === 'bigint') return [field.value];
  const out: bigint[] = [];
  let [value, shift] = [0n, 0n];
  for (const byte of field.value) {
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if (byte < 0x80) {
      out.push(value);
      [value, shift] = [0n, 0n];
    }
  }
  return out;
}
