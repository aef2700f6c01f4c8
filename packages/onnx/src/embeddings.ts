// Input embeddings, positional encodings and the output projection (Vaswani et al. 2017, §3.4-3.5):
// x = E[ids] * sqrt(d_model) + PE[pos], logits = h E^T + final_logits_bias (tied E, as Marian).
import { FINAL_LOGITS_BIAS, positionsName, type Side } from '@attend/model-spec';
import { attr, type GraphBuilder } from './graph-builder.ts';
import type { ModelWeights } from './model-weights.ts';

/** Masked positions get the most negative float, as HF does (finfo.min), so softmax gives them 0. */
export const MASKED = -3.4028234663852886e38;

/**
 * ids [B, T] -> [B, T, d]. `offset` (scalar int64) is the first position: 0 in the encoder, the past
 * length in the decoder; `length` is T.
 */
export function embed(g: GraphBuilder, w: ModelWeights, side: Side, ids: string, offset: string, length: string): string {
  return g.within('embed', () => {
    const tokens = tokenEmbedding(g, w, ids);
    const positions = g.op('Range', [offset, g.op('Add', [offset, length]), g.ints([1], [])]); // [T]
    const encoding = g.op('Gather', [w.tensor(positionsName(side)), positions], { axis: attr.int(0) }); // [T, d]
    return g.op('Add', [tokens, encoding]);
  });
}

/** ids [B, T] at their own positions positionIds [B, T] (each row where it is) -> [B, T, d]. */
export function embedAt(g: GraphBuilder, w: ModelWeights, side: Side, ids: string, positionIds: string): string {
  return g.within('embed', () => {
    const tokens = tokenEmbedding(g, w, ids);
    const encoding = g.op('Gather', [w.tensor(positionsName(side)), positionIds], { axis: attr.int(0) }); // [B, T, d]
    return g.op('Add', [tokens, encoding]);
  });
}

/** E[ids] (times sqrt(d_model) when the config scales embeddings): [B, T] -> [B, T, d]. */
function tokenEmbedding(g: GraphBuilder, w: ModelWeights, ids: string): string {
  const rows = g.op('Gather', [w.sharedTransposed(), ids], { axis: attr.int(1) }); // [d, B, T]
  const tokens = g.op('Transpose', [rows], { perm: attr.ints([1, 2, 0]) }); // [B, T, d]
  return w.config.scaleEmbedding ? g.op('Mul', [tokens, g.floats([Math.sqrt(w.config.dModel)], [])]) : tokens;
}

/** h [B, T, d] -> logits [B, T, V]; with `name`, the output carries it (a graph output). */
export function outputLogits(g: GraphBuilder, w: ModelWeights, h: string, name?: string): string {
  return g.within('lm_head', () => {
    const projected = g.op('MatMul', [h, w.sharedTransposed()]);
    if (name === undefined) return g.op('Add', [projected, w.tensor(FINAL_LOGITS_BIAS)]);
    g.opNamed('Add', [projected, w.tensor(FINAL_LOGITS_BIAS)], [name]);
    return name;
  });
}

/** attention_mask int64 [B, S] (1 keep, 0 pad) -> additive bias [B, 1, 1, S]. */
export function paddingBias(g: GraphBuilder, mask: string): string {
  return g.within('padding_mask', () => {
    const keep = g.op('Cast', [mask], { to: attr.int(1) });
    const bias = g.op('Mul', [g.op('Sub', [g.floats([1], []), keep]), g.floats([MASKED], [])]);
    return g.op('Unsqueeze', [bias, g.ints([1, 2])]); // [B, 1, 1, S]
  });
}

/** Queries at positions past..past+T-1 see keys 0..their own position: bias [T, past + T]. */
export function causalBias(g: GraphBuilder, past: string, length: string): string {
  return g.within('causal_mask', () => {
    const total = g.op('Add', [past, length]);
    const one = g.ints([1], []);
    const queries = g.op('Unsqueeze', [g.op('Range', [past, total, one]), g.ints([1])]); // [T, 1]
    const keys = g.op('Range', [g.ints([0], []), total, one]); // [past + T]
    const future = g.op('Greater', [keys, queries]); // [T, past + T]
    return g.op('Where', [future, g.floats([MASKED], []), g.floats([0], [])]);
  });
}
