// Dynamic int8 quantization of a model's weight matrices: every MatMul whose B is a 2-D float
// initializer gets int8 weights with per-column scales; activations are quantized at run time, per
// tensor, by the operator form chosen below. The tied embedding table E^T is also read by a Gather
// (token lookup): that Gather reads the int8 table and rescales the rows it picked.
// Forms, measured in onnxruntime-web 1.30 (WASM, one thread, in Node) on the tiny config by
// bench/quantization-speed.ts, CPU ms per call, two runs (encoder on 16 tokens / one cached step):
//   fp32                       3.6-3.7 / 1.35-1.70
//   'dynamic-quantize-matmul'  2.2     / 1.41-1.46  one com.microsoft DynamicQuantizeMatMul per MatMul:
//                                                   the fastest int8 form, hence the default
//   'matmul-integer'           2.1-2.2 / 1.60-1.63  DynamicQuantizeLinear + MatMulInteger + Cast + Mul,
//                                                   what onnxruntime's quantize_dynamic emits
//   'matmul-nbits'             7.7-7.9 / 6.4-6.6    com.microsoft MatMulNBits, bits 8, blocks of 32
//                                                   (the tied table, also read by Gather, per column)
// A decoder step (M = 1) costs about the same in int8 as in fp32 at this size; int8 buys the encoder
// 1.6x and the files 3.6x less memory, which is what the 128 MB isolate needs.
// QLinearMatMul is not a candidate: it needs a fixed output scale, i.e. static calibration.
import { attr, tensorProto } from './graph-builder.ts';
import { floatsOf, quantizeBlocks, quantizePerColumn } from './int8-weights.ts';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from './onnx-proto.ts';

export type QuantizedMatMulForm = 'matmul-integer' | 'dynamic-quantize-matmul' | 'matmul-nbits';
export const DEFAULT_FORM: QuantizedMatMulForm = 'dynamic-quantize-matmul';
const MS = 'com.microsoft';
const NBITS_BLOCK = 32;

interface QuantizedWeight {
  readonly k: number;
  readonly n: number;
  readonly perColumn?: { q: string; scale: string; zeroPoint: string }; // q [K, N] int8
  readonly blocks?: { q: string; scales: string }; // MatMulNBits layout
}

export function quantizeModel(model: ModelProto, form: QuantizedMatMulForm = DEFAULT_FORM): ModelProto {
  const top = model.graph;
  const floats = new Map(top.initializers.filter((t) => t.dataType === 'float' && t.dims.length === 2).map((t) => [t.name, t]));
  const gathered = new Set<string>();
  const multiplied = new Set<string>();
  const otherwise = new Set<string>(); // read by any other op: left in fp32
  visit(top, (n) => {
    const axis = n.attributes.axis;
    n.inputs.forEach((input, i) => {
      if (!floats.has(input)) return;
      // E^T [d, V] read by token id; positional tables (Gather on axis 0) stay fp32
      if (n.opType === 'Gather' && i === 0 && axis?.kind === 'int' && Number(axis.value) === 1) gathered.add(input);
      else if (n.opType === 'MatMul' && i === 1) multiplied.add(input);
      else otherwise.add(input);
    });
  });

  const added: TensorProto[] = [];
  const quantized = new Map<string, QuantizedWeight>();
  for (const name of new Set([...multiplied, ...gathered].filter((w) => !otherwise.has(w)))) {
    const t = floats.get(name) as TensorProto;
    const [k, n] = t.dims as [number, number];
    const w = floatsOf(t.rawData);
    const entry: { k: number; n: number; perColumn?: QuantizedWeight['perColumn']; blocks?: QuantizedWeight['blocks'] } = { k, n };
    if (form !== 'matmul-nbits' || gathered.has(name)) {
      const { q, scales } = quantizePerColumn(w, k, n);
      entry.perColumn = { q: `${name}_quantized`, scale: `${name}_scale`, zeroPoint: `${name}_zero_point` };
      added.push(tensorProto(entry.perColumn.q, 'int8', [k, n], q), tensorProto(entry.perColumn.scale, 'float', [n], scales));
      if (multiplied.has(name)) added.push(tensorProto(entry.perColumn.zeroPoint, 'int8', [], new Int8Array(1)));
    } else {
      const { q, scales } = quantizeBlocks(w, k, n, NBITS_BLOCK);
      entry.blocks = { q: `${name}_quantized`, scales: `${name}_scale` };
      const blocks = k / NBITS_BLOCK;
      added.push(tensorProto(entry.blocks.q, 'uint8', [n, blocks, NBITS_BLOCK], q), tensorProto(entry.blocks.scales, 'float', [n * blocks], scales));
    }
    quantized.set(name, entry);
  }

  const rewrite = (graph: GraphProto): GraphProto => ({
    ...graph,
    nodes: graph.nodes.flatMap((n) => {
      const inner = Object.fromEntries(
        Object.entries(n.attributes).map(([key, a]) => [key, a.kind === 'graph' ? attr.graph(rewrite(a.value)) : a]),
      );
      const node = { ...n, attributes: inner };
      const weight = quantized.get(node.inputs[node.opType === 'Gather' ? 0 : 1] as string);
      if (!weight) return [node];
      if (node.opType === 'Gather') return quantizedGather(node, weight);
      if (node.opType === 'MatMul') return quantizedMatMul(node, weight, form);
      return [node];
    }),
  });
  const graph = rewrite(top);
  const initializers = [...top.initializers.filter((t) => !quantized.has(t.name)), ...added];
  const usesContrib = form !== 'matmul-integer';
  return {
    ...model,
    graph: { ...graph, initializers },
    opsets: usesContrib ? { ...model.opsets, [MS]: 1 } : model.opsets,
  };
}

function visit(graph: GraphProto, f: (node: NodeProto) => void): void {
  for (const node of graph.nodes) {
    f(node);
    for (const a of Object.values(node.attributes)) if (a.kind === 'graph') visit(a.value, f);
  }
}

function quantizedMatMul(node: NodeProto, w: QuantizedWeight, form: QuantizedMatMulForm): NodeProto[] {
  const x = node.inputs[0] as string;
  const out = node.outputs[0] as string;
  const make = (opType: string, inputs: string[], outputs: string[], attributes: NodeProto['attributes'] = {}, domain = ''): NodeProto => ({
    name: `${node.name}/${opType}`,
    opType,
    domain,
    inputs,
    outputs,
    attributes,
  });
  if (w.blocks) {
    const attributes = { K: attr.int(w.k), N: attr.int(w.n), bits: attr.int(8), block_size: attr.int(NBITS_BLOCK) };
    return [make('MatMulNBits', [x, w.blocks.q, w.blocks.scales], [out], attributes, MS)];
  }
  const p = w.perColumn as NonNullable<QuantizedWeight['perColumn']>;
  if (form !== 'matmul-integer') return [make('DynamicQuantizeMatMul', [x, p.q, p.scale, p.zeroPoint], [out], {}, MS)];
  // y = (x_q - x_zp)(W_q) · x_scale · W_scale[n]   (x quantized per tensor to uint8 at run time)
  const [xq, xScale, xZero, y32, yFloat, scale] = ['x_quantized', 'x_scale', 'x_zero_point', 'y_int32', 'y_float', 'scale'].map(
    (s) => `${node.name}/${s}`,
  ) as [string, string, string, string, string, string];
  return [
    make('DynamicQuantizeLinear', [x], [xq, xScale, xZero]),
    make('MatMulInteger', [xq, p.q, xZero, p.zeroPoint], [y32]),
    make('Cast', [y32], [yFloat], { to: attr.int(1) }),
    make('Mul', [xScale, p.scale], [scale]),
    { ...make('Mul', [yFloat, scale], [out]), name: `${node.name}/Mul_output` },
  ];
}

/** Gather(E^T, ids, axis 1) on the int8 table: int8 rows [d, B, T], scaled by each token's column scale. */
function quantizedGather(node: NodeProto, w: QuantizedWeight): NodeProto[] {
  const p = w.perColumn as NonNullable<QuantizedWeight['perColumn']>;
  const ids = node.inputs[1] as string;
  const [rows, rowsFloat, scales] = ['rows_int8', 'rows_float', 'row_scales'].map((s) => `${node.name}/${s}`) as [string, string, string];
  return [
    { ...node, inputs: [p.q, ids], outputs: [rows] },
    { name: `${node.name}/Cast`, opType: 'Cast', domain: '', inputs: [rows], outputs: [rowsFloat], attributes: { to: attr.int(1) } },
    { name: `${node.name}/GatherScale`, opType: 'Gather', domain: '', inputs: [p.scale, ids], outputs: [scales], attributes: {} },
    { name: `${node.name}/Mul`, opType: 'Mul', domain: '', inputs: [rowsFloat, scales], outputs: node.outputs, attributes: {} },
  ];
}
