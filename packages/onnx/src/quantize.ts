// Int8 quantization of a model's weight matrices, chosen so that every runtime computes the same
// integers (DESIGN.md: the same translation on every CPU and runtime) and so that a row's output does
// not depend on the rows decoded beside it:
// - weights: 8-bit symmetric, one scale per output column, stored unsigned with zero point 128;
// - activations: quantized at run time per row (one scale per token vector, symmetric, zero point
//   128), with standard ops, so padding and batch-mates never change a row's scale;
// - MatMulInteger(u8, u8) then y = y_int32 · x_scale[row] · W_scale[col].
// Why u8 x u8: onnxruntime's x86 kernels without VNNI (AVX2, AVX-512 without VNNI) multiply u8 x s8
// with vpmaddubsw, which saturates the sum of two products at 16 bits (255·127·2 > 32767): with s8
// weights, logits were up to 78% off fp32 on an AVX2 CPU. Their u8 x u8 kernels widen to 16 bits
// first (vpmaddwd), and WASM SIMD and ARM compute u8 x u8 exactly too, so every runtime agrees up to
// the float rounding of the scales (the tests run the same graphs on AVX2 and AVX-512 VNNI).
// Cost, measured in onnxruntime-web 1.30 by bench/quantization-speed.ts (tiny config, CPU ms, one
// run; encoder on 16 tokens / one cached decoder step): fp32 4.14 / 1.66, this scheme 2.56 / 1.92,
// com.microsoft DynamicQuantizeMatMul (per-tensor s8, the previous scheme) 2.06 / 1.73. A step of
// one row pays for the ~8 extra ops per quantized activation; int8 buys the encoder 1.6x and the files
// 3.6x less memory, which is what the 128 MB isolate needs. Static (calibrated) activation scales would
// need fewer ops but clip outliers; MatMulIntegerToFloat and DynamicQuantizeMatMul take one scale per
// tensor only.
// The tied embedding table E^T is also read by a Gather (token lookup): that Gather reads the int8
// table and rescales the rows it picked.
// With contribOps (the serving graphs, for onnxruntime only), each product is one com.microsoft
// MatMulIntegerToFloat (the integer product times W_scale[col]) and the row scale: two nodes instead
// of four; measured in onnxruntime-web, a decoder step of one row 7% faster.
import { attr, tensorProto } from './graph-builder.ts';
import { floatsOf, quantizePerColumn } from './int8-weights.ts';
import { CONTRIB_DOMAIN } from './multi-head-attention.ts';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from './onnx-proto.ts';

const ZERO_POINT = 128; // of activations and weights: both symmetric, stored unsigned
const UINT8 = 2; // onnx.TensorProto.DataType
const FLOAT = 1;
const CONSTANTS = {
  one: 'quantize/one', // float scalar 1: MatMulIntegerToFloat's activation scale (the row scale comes after)
  zeroPoint: 'quantize/zero_point', // uint8 scalar 128
  zeroPointFloat: 'quantize/zero_point_float',
  zero: 'quantize/zero', // uint8 scalar 0: the zero point of non-negative activations
  levels: 'quantize/levels', // 127: |x| max of a row maps to ±127
  levelsNonNegative: 'quantize/levels_non_negative', // 255: max of a row of ReLU outputs maps to 255
  tiny: 'quantize/tiny', // floor of a row's |x| max, so an all-zero row gets a finite scale
};

interface QuantizedWeight {
  readonly q: string; // [K, N] uint8
  readonly scale: string; // [N] float
}

/** A per-row quantized activation: its uint8 values, their zero point and its scale [..., 1]. */
interface QuantizedInput {
  readonly q: string;
  readonly zeroPoint: string;
  readonly scale: string;
}

export interface QuantizeOptions {
  /** Fuse each integer product with com.microsoft MatMulIntegerToFloat (onnxruntime only). */
  readonly contribOps?: boolean;
}

export function quantizeModel(model: ModelProto, options: QuantizeOptions = {}): ModelProto {
  const top = model.graph;
  const floats = new Map(top.initializers.filter((t) => t.dataType === 'float' && t.dims.length === 2).map((t) => [t.name, t]));
  const { multiplied, gathered } = quantizableWeights(top, floats);

  const added: TensorProto[] = [...constants(), ...(options.contribOps ? [tensorProto(CONSTANTS.one, 'float', [], Float32Array.of(1))] : [])];
  const quantized = new Map<string, QuantizedWeight>();
  for (const name of new Set([...multiplied, ...gathered])) {
    const t = floats.get(name) as TensorProto;
    const [k, n] = t.dims as [number, number];
    const { q, scales } = quantizePerColumn(floatsOf(t.rawData), k, n);
    const weight = { q: `${name}_quantized`, scale: `${name}_scale` };
    added.push(tensorProto(weight.q, 'uint8', [k, n], unsigned(q)), tensorProto(weight.scale, 'float', [n], scales));
    quantized.set(name, weight);
  }

  const graph = rewrite(top, quantized, options.contribOps === true);
  const initializers = [...top.initializers.filter((t) => !quantized.has(t.name)), ...added];
  const opsets = options.contribOps ? { ...model.opsets, [CONTRIB_DOMAIN]: 1 } : model.opsets;
  return { ...model, opsets, graph: { ...graph, initializers } };
}

/** 2-D float initializers read only as a MatMul's B or as the tied table of a token Gather. */
function quantizableWeights(top: GraphProto, floats: ReadonlyMap<string, TensorProto>) {
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
  const keep = (names: Set<string>) => new Set([...names].filter((w) => !otherwise.has(w)));
  return { multiplied: keep(multiplied), gathered: keep(gathered) };
}

function constants(): TensorProto[] {
  return [
    tensorProto(CONSTANTS.zeroPoint, 'uint8', [], Uint8Array.of(ZERO_POINT)),
    tensorProto(CONSTANTS.zeroPointFloat, 'float', [], Float32Array.of(ZERO_POINT)),
    tensorProto(CONSTANTS.zero, 'uint8', [], Uint8Array.of(0)),
    tensorProto(CONSTANTS.levels, 'float', [], Float32Array.of(127)),
    tensorProto(CONSTANTS.levelsNonNegative, 'float', [], Float32Array.of(255)),
    tensorProto(CONSTANTS.tiny, 'float', [], Float32Array.of(1e-30)),
  ];
}

/** q ∈ [-127, 127] -> q + 128 ∈ [1, 255]. */
function unsigned(q: Int8Array): Uint8Array {
  return Uint8Array.from(q, (v) => v + ZERO_POINT);
}

function visit(graph: GraphProto, f: (node: NodeProto) => void): void {
  for (const node of graph.nodes) {
    f(node);
    for (const a of Object.values(node.attributes)) if (a.kind === 'graph') visit(a.value, f);
  }
}

/** Replaces each quantized weight's MatMul and Gather; MatMuls reading one activation quantize it once. */
function rewrite(graph: GraphProto, weights: ReadonlyMap<string, QuantizedWeight>, contribOps: boolean): GraphProto {
  const inputs = new Map<string, QuantizedInput>(); // per graph: a branch's values are its own
  const nonNegative = new Set(graph.nodes.filter((n) => n.opType === 'Relu').map((n) => n.outputs[0]));
  const nodes: NodeProto[] = [];
  for (const n of graph.nodes) {
    const attributes = Object.fromEntries(
      Object.entries(n.attributes).map(([key, a]) => [key, a.kind === 'graph' ? attr.graph(rewrite(a.value, weights, contribOps)) : a]),
    );
    const node = { ...n, attributes };
    const weight = weights.get(node.inputs[node.opType === 'Gather' ? 0 : 1] as string);
    if (weight && node.opType === 'Gather') nodes.push(...quantizedGather(node, weight));
    else if (weight && node.opType === 'MatMul') {
      const x = node.inputs[0] as string;
      let input = inputs.get(x);
      if (!input) {
        input = quantizeRows(`quantize_rows.${graph.name}.${inputs.size}`, x, nonNegative.has(x), nodes);
        inputs.set(x, input);
      }
      nodes.push(...(contribOps ? fusedMatMul(node, input, weight) : quantizedMatMul(node, input, weight)));
    } else nodes.push(node);
  }
  return { ...graph, nodes };
}

const make = (name: string, opType: string, inputs: string[], attributes: NodeProto['attributes'] = {}): NodeProto => ({
  name,
  opType,
  domain: '',
  inputs,
  outputs: [`${name}_output`],
  attributes,
});

/**
 * x [..., K] -> uint8 round(x / s) + 128 with s = max|x| / 127 over the last axis (one scale per row);
 * ReLU outputs (x >= 0) take all 256 levels instead: round(x / s), s = max x / 255, zero point 0.
 */
function quantizeRows(scope: string, x: string, nonNegative: boolean, nodes: NodeProto[]): QuantizedInput {
  const at = (op: string) => `${scope}/${op}`;
  const out = (op: string) => `${at(op)}_output`;
  const magnitude = nonNegative ? x : out('Abs');
  nodes.push(
    ...(nonNegative ? [] : [make(at('Abs'), 'Abs', [x])]),
    make(at('ReduceMax'), 'ReduceMax', [magnitude], { axes: attr.ints([-1]), keepdims: attr.int(1) }),
    make(at('Max'), 'Max', [out('ReduceMax'), CONSTANTS.tiny]),
    make(at('Scale'), 'Div', [out('Max'), nonNegative ? CONSTANTS.levelsNonNegative : CONSTANTS.levels]),
    make(at('Div'), 'Div', [x, out('Scale')]),
    make(at('Round'), 'Round', [out('Div')]),
    ...(nonNegative ? [] : [make(at('Shift'), 'Add', [out('Round'), CONSTANTS.zeroPointFloat])]),
    make(at('Cast'), 'Cast', [out(nonNegative ? 'Round' : 'Shift')], { to: attr.int(UINT8) }),
  );
  return { q: out('Cast'), zeroPoint: nonNegative ? CONSTANTS.zero : CONSTANTS.zeroPoint, scale: out('Scale') };
}

/** y = (x_q - x_zero)(W_q - 128) · x_scale[row] · W_scale[col], the MatMul's output name kept. */
function quantizedMatMul(node: NodeProto, x: QuantizedInput, w: QuantizedWeight): NodeProto[] {
  const at = (op: string) => `${node.name}/${op}`;
  return [
    make(at('MatMulInteger'), 'MatMulInteger', [x.q, w.q, x.zeroPoint, CONSTANTS.zeroPoint]),
    make(at('Cast'), 'Cast', [`${at('MatMulInteger')}_output`], { to: attr.int(FLOAT) }),
    make(at('RowScale'), 'Mul', [`${at('Cast')}_output`, x.scale]),
    { ...make(at('ColumnScale'), 'Mul', [`${at('RowScale')}_output`, w.scale]), outputs: node.outputs },
  ];
}

/** The same product as quantizedMatMul, with the integer product and W_scale[col] in one contrib node. */
function fusedMatMul(node: NodeProto, x: QuantizedInput, w: QuantizedWeight): NodeProto[] {
  const at = (op: string) => `${node.name}/${op}`;
  return [
    { ...make(at('MatMulIntegerToFloat'), 'MatMulIntegerToFloat', [x.q, w.q, CONSTANTS.one, w.scale, x.zeroPoint, CONSTANTS.zeroPoint]), domain: CONTRIB_DOMAIN },
    { ...make(at('RowScale'), 'Mul', [`${at('MatMulIntegerToFloat')}_output`, x.scale]), outputs: node.outputs },
  ];
}

/** Gather(E^T, ids, axis 1) on the uint8 table: rows [d, B, T] shifted back and scaled per token. */
function quantizedGather(node: NodeProto, w: QuantizedWeight): NodeProto[] {
  const ids = node.inputs[1] as string;
  const at = (op: string) => `${node.name}/${op}`;
  return [
    { ...node, inputs: [w.q, ids], outputs: [`${at('Gather')}_output`] },
    make(at('Cast'), 'Cast', [`${at('Gather')}_output`], { to: attr.int(FLOAT) }),
    make(at('Shift'), 'Sub', [`${at('Cast')}_output`, CONSTANTS.zeroPointFloat]),
    make(at('GatherScale'), 'Gather', [w.scale, ids]),
    { ...make(at('Mul'), 'Mul', [`${at('Shift')}_output`, `${at('GatherScale')}_output`]), outputs: node.outputs },
  ];
}
