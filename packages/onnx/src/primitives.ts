// The two parameterized building blocks every sublayer uses, as ONNX nodes.
import { attr, type GraphBuilder } from './graph-builder.ts';
import type { ModelWeights } from './model-weights.ts';

/** xW^T + b over the last axis (nn.Linear); the MatMul with a constant W^T is what int8 quantizes. */
export function linear(g: GraphBuilder, w: ModelWeights, x: string, prefix: string): string {
  const p = w.linear(prefix);
  return g.op('Add', [g.op('MatMul', [x, p.weight]), p.bias]);
}

/** linear() whose output carries a given name (a graph output). */
export function linearNamed(g: GraphBuilder, w: ModelWeights, x: string, prefix: string, name: string): string {
  const p = w.linear(prefix);
  g.opNamed('Add', [g.op('MatMul', [x, p.weight]), p.bias], [name]);
  return name;
}

/** LN(x) = (x - mean) / sqrt(var + eps) * gamma + beta over d_model (Ba et al. 2016); eps as nn.LayerNorm. */
export function layerNorm(g: GraphBuilder, w: ModelWeights, x: string, prefix: string): string {
  return g.op('LayerNormalization', [x, w.tensor(`${prefix}.weight`), w.tensor(`${prefix}.bias`)], {
    axis: attr.int(-1),
    epsilon: attr.float(1e-5),
  });
}

/** A scalar int64 from a 1-D shape slice: dims [start, start+1) of `x`. */
export function dim(g: GraphBuilder, x: string, axis: number): string {
  return g.op('Squeeze', [g.op('Shape', [x], { start: attr.int(axis), end: attr.int(axis + 1) }), g.ints([0])]);
}
