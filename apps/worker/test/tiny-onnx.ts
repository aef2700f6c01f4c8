// A minimal valid ONNX model, encoded by hand, so the runtime test needs no exporter:
//   y = MatMul(x, W) + b    x: float32 [batch, 2], W: [[1, 2], [3, 4]], b: [10, 20]
// Protobuf field numbers from onnx/onnx.proto3 (ModelProto, GraphProto, NodeProto, TensorProto, ...).

const FLOAT = 1; // TensorProto.DataType.FLOAT

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const key = (field: number, wire: 0 | 2): number[] => varint((field << 3) | wire);
const int = (field: number, value: number): number[] => [...key(field, 0), ...varint(value)];
const bytes = (field: number, payload: number[]): number[] => [...key(field, 2), ...varint(payload.length), ...payload];
const str = (field: number, text: string): number[] => bytes(field, [...new TextEncoder().encode(text)]);

function tensor(name: string, dims: number[], values: number[]): number[] {
  const raw = [...new Uint8Array(new Float32Array(values).buffer)]; // little-endian, as ONNX requires
  return [...dims.flatMap((d) => int(1, d)), ...int(2, FLOAT), ...str(8, name), ...bytes(9, raw)];
}

function valueInfo(name: string, dims: (number | string)[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, FLOAT), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

function node(op: string, inputs: string[], output: string): number[] {
  return [...inputs.flatMap((i) => str(1, i)), ...str(2, output), ...str(3, `${op}_0`), ...str(4, op)];
}

export function tinyOnnxModel(): Uint8Array {
  const graph = [
    ...bytes(1, node('MatMul', ['x', 'W'], 'xw')),
    ...bytes(1, node('Add', ['xw', 'b'], 'y')),
    ...str(2, 'tiny'),
    ...bytes(5, tensor('W', [2, 2], [1, 2, 3, 4])),
    ...bytes(5, tensor('b', [2], [10, 20])),
    ...bytes(11, valueInfo('x', ['batch', 2])),
    ...bytes(12, valueInfo('y', ['batch', 2])),
  ];
  const opset = [...str(1, ''), ...int(2, 17)];
  return new Uint8Array([...int(1, 8), ...str(2, 'attend-test'), ...bytes(7, graph), ...bytes(8, opset)]);
}
