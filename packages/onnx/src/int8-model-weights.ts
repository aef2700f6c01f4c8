// A model's parameters read back from its int8 ONNX files: the Marian state dict that export takes,
// with each quantized matrix dequantized (W = q · scale per column). For a model folder whose training
// checkpoint is gone, re-exporting from these weights keeps every weight the int8 files served: the
// per-column 8-bit values quantize back to themselves.
import { type TransformerConfig, weightSpecs } from '@attend/model-spec';
import { checkWeights, transpose2d } from './model-weights.ts';
import { DataType, type DataTypeName, type TensorProto } from './onnx-proto.ts';
import { fields, repeatedVarints } from './protobuf-reader.ts';

const TYPE_NAMES = new Map<number, DataTypeName>(Object.entries(DataType).map(([name, code]) => [code, name as DataTypeName]));

/** The top graph's initializers of an ONNX file (ModelProto.graph = 7, GraphProto.initializer = 5). */
export function readInitializers(onnx: Uint8Array): TensorProto[] {
  const out: TensorProto[] = [];
  for (const m of fields(onnx)) {
    if (m.number !== 7 || !(m.value instanceof Uint8Array)) continue;
    for (const g of fields(m.value)) if (g.number === 5 && g.value instanceof Uint8Array) out.push(readTensor(g.value));
  }
  return out;
}

function readTensor(bytes: Uint8Array): TensorProto {
  let [name, dataType, rawData]: [string, DataTypeName | undefined, Uint8Array] = ['', undefined, new Uint8Array(0)];
  const dims: number[] = [];
  for (const f of fields(bytes)) {
    if (f.number === 1) dims.push(...repeatedVarints(f).map(Number));
    else if (f.number === 2) dataType = TYPE_NAMES.get(Number(f.value));
    else if (f.number === 8) name = new TextDecoder().decode(f.value as Uint8Array);
    else if (f.number === 9) rawData = f.value as Uint8Array;
  }
  if (dataType === undefined) throw new Error(`initializer ${name}: unsupported data type`);
  return { name, dataType, dims, rawData };
}

/** The Marian state dict of `config` from the int8 encoder and decoder files (uint8 or int8 matrices). */
export function weightsFromInt8(config: TransformerConfig, files: readonly Uint8Array[]): Map<string, Float32Array> {
  const tensors = new Map(files.flatMap(readInitializers).map((t) => [t.name, t]));
  const weights = new Map<string, Float32Array>();
  for (const spec of weightSpecs(config)) {
    const plain = tensors.get(spec.name); // biases, norms, positions; matrices are stored transposed
    weights.set(spec.name, plain ? floats(plain) : dequantizeTransposed(tensors, spec.name));
  }
  checkWeights(config, weights);
  return weights;
}

/** `${name}_transposed_quantized` [in, out] with `_scale` [out] -> W [out, in]. */
function dequantizeTransposed(tensors: ReadonlyMap<string, TensorProto>, name: string): Float32Array {
  const [q, scale] = [tensors.get(`${name}_transposed_quantized`), tensors.get(`${name}_transposed_scale`)];
  if (!q || !scale) throw new Error(`the int8 files lack ${name} (neither fp32 nor ${name}_transposed_quantized with its scale)`);
  const [k, n] = q.dims as [number, number];
  const scales = floats(scale);
  const values = q.dataType === 'uint8' ? Int16Array.from(q.rawData, (v) => v - 128) : new Int8Array(copy(q.rawData));
  const w = Float32Array.from(values, (v, i) => v * (scales[i % n] as number));
  return transpose2d(w, k, n);
}

function floats(t: TensorProto): Float32Array {
  if (t.dataType !== 'float') throw new Error(`initializer ${t.name} is ${t.dataType}, expected float`);
  return new Float32Array(copy(t.rawData));
}

/** A copy with a buffer of its own (a Node Buffer's slice() would share the whole file's buffer). */
const copy = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;
