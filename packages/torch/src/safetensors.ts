// safetensors (https://github.com/huggingface/safetensors): u64 little-endian header length N, N bytes
// of JSON {name: {dtype, shape, data_offsets: [begin, end)}, __metadata__?: {string: string}}, then the
// row-major little-endian tensor bytes, offsets counted from the end of the header.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './durable-files.ts';
import { dtypeCode, type DType } from './dtype.ts';
import { native } from './native.ts';
import { Tensor } from './tensor.ts';

const FILE_DTYPES: Readonly<Record<DType, string>> = { float32: 'F32', float64: 'F64', int64: 'I64', int32: 'I32', bool: 'BOOL' };
const ELEMENT_BYTES: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int64: 8, int32: 4, bool: 1 };
const FROM_FILE = new Map(Object.entries(FILE_DTYPES).map(([dtype, name]) => [name, dtype as DType]));

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Writes atomically (durable-files.ts): a kill leaves the old file or the new one, never half of one. */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  // Widest elements first, as the reference writer does, so every tensor starts aligned to its size.
  const names = Object.keys(tensors).sort(
    (a, b) => ELEMENT_BYTES[tensors[b]!.dtype] - ELEMENT_BYTES[tensors[a]!.dtype] || (a < b ? -1 : a > b ? 1 : 0),
  );
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (metadata) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const tensor = tensors[name]!;
    const data = tensor.data();
    chunks.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    header[name] = { dtype: FILE_DTYPES[tensor.dtype], shape: tensor.shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  // The header is padded with spaces to a multiple of 8 bytes so the data section starts aligned.
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Buffer.alloc(Math.ceil(json.length / 8) * 8, 0x20);
  json.copy(padded);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(padded.length));

  writeFileAtomic(path, [length, padded, ...chunks]);
}

export function loadSafetensors(path: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const file = readFileSync(path);
  const fail = (why: string): never => {
    throw new Error(`${path}: not a valid safetensors file (${why})`);
  };
  if (file.length < 8) fail('shorter than its 8-byte header length');
  const headerLength = Number(file.readBigUInt64LE(0));
  if (8 + headerLength > file.length) fail('header length past the end of the file');
  const header = JSON.parse(file.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
  const data = file.subarray(8 + headerLength);

  const { __metadata__: metadata = {}, ...entries } = header;
  const tensors: Record<string, Tensor> = {};
  try {
    for (const [name, value] of Object.entries(entries)) {
      const entry = value as HeaderEntry;
      const dtype = FROM_FILE.get(entry.dtype) ?? fail(`tensor '${name}' has dtype ${entry.dtype}; supported: ${[...FROM_FILE.keys()].join(', ')}`);
      const [begin, end] = entry.data_offsets;
      const expected = entry.shape.reduce((n, size) => n * size, 1) * ELEMENT_BYTES[dtype];
      if (end - begin !== expected || begin < 0 || end > data.length) fail(`tensor '${name}' has bad data_offsets`);
      tensors[name] = new Tensor(native.fromBytes(data.subarray(begin, end), entry.shape, dtypeCode(dtype)));
    }
  } catch (error) {
    for (const tensor of Object.values(tensors)) tensor.dispose();
    throw error;
  }
  return { tensors, metadata: metadata as Record<string, string> };
}


