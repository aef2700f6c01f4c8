// MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W^O,  head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V),
// Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V   (Vaswani et al. 2017, §3.2.1, §3.2.2)
// As in HF Marian, the 1/sqrt(d_k) scale is applied to the projected queries before the product, and
// masked scores are set to -1e9 rather than -inf: a fully masked row then softmaxes to a uniform
// distribution instead of NaN, and exp(-1e9 - max) is exactly 0 in float32 and float64 alike.
import { torch, type Tensor } from '@attend/torch';
import { attentionNames, type AttentionKind, type Side, type TransformerConfig } from '@attend/model-spec';
import { dropout, type Mode } from './dropout.ts';
import { Linear, type ParameterStore } from './parameters.ts';

export const MASKED_SCORE = -1e9;

/**
 * Keys and values of earlier steps, [B, h, S, d_k] each, kept across calls when decoding incrementally.
 * Self-attention appends the new step's keys and values; encoder-decoder attention computes them from the
 * memory once and reuses them. The cache owns its tensors (kept out of tidy scopes).
 */
export class AttentionCache {
  key: Tensor | null = null;
  value: Tensor | null = null;

  store(key: Tensor, value: Tensor): void {
    this.dispose();
    this.key = torch.keep(key);
    this.value = torch.keep(value);
  }

  dispose(): void {
    this.key?.dispose();
    this.value?.dispose();
    this.key = null;
    this.value = null;
  }
}

export class MultiHeadAttention {
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly out: Linear;
  private readonly heads: number;
  private readonly dK: number;
  private readonly scaling: number;

  constructor(
    store: ParameterStore,
    private readonly config: TransformerConfig,
    side: Side,
    layer: number,
    private readonly kind: AttentionKind,
    private readonly mode: Mode,
  ) {
    const names = attentionNames(side, layer, kind);
    const d = config.dModel;
    // Registration order follows weightSpecs (k, v, q, out) so that random init is reproducible per name.
    this.k = new Linear(store, names.k, d, d);
    this.v = new Linear(store, names.v, d, d);
    this.q = new Linear(store, names.q, d, d);
    this.out = new Linear(store, names.out, d, d);
    this.heads = config.heads;
    this.dK = d / config.heads;
    this.scaling = this.dK ** -0.5;
  }

  /**
   * x [B, T, d] attends over kv [B, S, d] (kv = x for self-attention, the encoder memory otherwise).
   * mask: bool, true where attention is forbidden, broadcastable to [B, h, T, S].
   */
  forward(x: Tensor, kv: Tensor, mask: Tensor | null, cache?: AttentionCache): Tensor {
    const [B = 0, T = 0, d = 0] = x.shape;
    // 1) project: Q from x; K, V from kv (or from the cache)
    const q = this.splitHeads(this.q.forward(x).mul(this.scaling), B); // [B, h, T, d_k]
    const [k, v] = this.keysAndValues(kv, B, cache); // [B, h, S, d_k] each
    // 2) attend: scaled dot products, masked, softmax over the keys
    const scores = q.matmul(k.transpose(2, 3)); // [B, h, T, d_k] x [B, h, d_k, S] -> [B, h, T, S]
    const masked = mask ? scores.maskedFill(mask, MASKED_SCORE) : scores;
    const weights = dropout(masked.softmax(-1), this.config.attentionDropout, this.mode); // [B, h, T, S]
    const context = weights.matmul(v); // [B, h, T, d_k]
    // 3) concat the heads, then W^O
    const concat = context.transpose(1, 2).reshape([B, T, d]); // [B, T, h, d_k] -> [B, T, d]
    return this.out.forward(concat);
  }

  private keysAndValues(kv: Tensor, B: number, cache?: AttentionCache): [Tensor, Tensor] {
    if (cache && this.kind === 'encoder_attn' && cache.key && cache.value) return [cache.key, cache.value];
    let k = this.splitHeads(this.k.forward(kv), B); // [B, h, S_new, d_k]
    let v = this.splitHeads(this.v.forward(kv), B); // [B, h, S_new, d_k]
    if (!cache) return [k, v];
    if (this.kind === 'self_attn' && cache.key && cache.value) {
      k = torch.cat([cache.key, k], 2); // [B, h, S_past + S_new, d_k]
      v = torch.cat([cache.value, v], 2); // [B, h, S_past + S_new, d_k]
    }
    cache.store(k, v);
    return [k, v];
  }

  private splitHeads(x: Tensor, B: number): Tensor {
    return x.view([B, -1, this.heads, this.dK]).transpose(1, 2); // [B, T, h, d_k] -> [B, h, T, d_k]
  }
}
