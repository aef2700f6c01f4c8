// The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) this exporter
// writes, as plain objects, and their protobuf encoding. Field numbers are onnx.proto's.
// Models over 2 GB (protobuf's message limit; ONNX then needs external data files) are out of scope.
import { ProtoWriter } from './protobuf-writer.ts';

export const DataType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9 } as const;
export type DataTypeName = keyof typeof DataType;

export interface TensorProto {
  readonly name: string;
  readonly dataType: DataTypeName;
  readonly dims: readonly number[];
  readonly rawData: Uint8Array; // little-endian, row-major
}

export type AttributeValue =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number | bigint }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly (number | bigint)[] }
  | { readonly kind: 'tensor'; readonly value: TensorProto }
  | { readonly kind: 'graph'; readonly value: GraphProto };

export interface NodeProto {
  readonly name: string;
  readonly opType: string;
  readonly domain?: string; // '' (ai.onnx) unless a contrib op ('com.microsoft')
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** A dimension is a fixed size or a symbolic name such as 'batch_size'. */
export type Dim = number | string;

export interface ValueInfoProto {
  readonly name: string;
  readonly dataType: DataTypeName;
  readonly shape?: readonly Dim[]; // absent: rank and dims unknown (outputs of If branches)
}

export interface GraphProto {
  readonly name: string;
  readonly nodes: readonly NodeProto[];
  readonly initializers: readonly TensorProto[];
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly ValueInfoProto[];
}

export interface ModelProto {
  readonly graph: GraphProto;
  readonly opsets: Readonly<Record<string, number>>; // domain -> version, '' is ai.onnx
  readonly producer: string;
}

const IR_VERSION = 8; // the IR version that goes with opset 17
const PROTOBUF_LIMIT = 2 ** 31 - 1;

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, ints: 7 } as const;

function tensor(t: TensorProto): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, t.dims);
  w.int(2, DataType[t.dataType]);
  w.string(8, t.name);
  w.bytes(9, t.rawData);
  return w;
}

function valueInfo(v: ValueInfoProto): ProtoWriter {
  const tensorType = new ProtoWriter();
  tensorType.int(1, DataType[v.dataType]);
  if (v.shape) {
    const shape = new ProtoWriter();
    for (const d of v.shape) {
      const dim = new ProtoWriter();
      if (typeof d === 'number') dim.int(1, d);
      else dim.string(2, d);
      shape.message(1, dim);
    }
    tensorType.message(2, shape);
  }
  const type = new ProtoWriter();
  type.message(1, tensorType);
  const w = new ProtoWriter();
  w.string(1, v.name);
  w.message(2, type);
  return w;
}

function attribute(name: string, a: AttributeValue): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, name);
  w.int(20, ATTRIBUTE_TYPE[a.kind]);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'tensor':
      w.message(5, tensor(a.value));
      break;
    case 'graph':
      w.message(6, graph(a.value));
      break;
    case 'ints':
      w.packedInts(8, a.value);
      break;
  }
  return w;
}

function node(n: NodeProto): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of n.inputs) w.string(1, input);
  for (const output of n.outputs) w.string(2, output);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes)) w.message(5, attribute(name, a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function graph(g: GraphProto): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, node(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, tensor(t));
  for (const v of g.inputs) w.message(11, valueInfo(v));
  for (const v of g.outputs) w.message(12, valueInfo(v));
  return w;
}

/** Serializes a model to the bytes of a .onnx file. */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, IR_VERSION);
  w.string(2, model.producer);
  w.message(7, graph(model.graph));
  for (const [domain, version] of Object.entries(model.opsets)) {
    const opset = new ProtoWriter();
    if (domain) opset.string(1, domain);
    opset.int(2, version);
    w.message(8, opset);
  }
  if (w.length > PROTOBUF_LIMIT) {
    throw new Error(`model is ${w.length} bytes, over protobuf's 2 GB limit; external-data ONNX files are not supported by this exporter`);
  }
  return w.finish();
}
