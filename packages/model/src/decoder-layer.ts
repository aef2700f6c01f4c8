// DecoderLayer(y, m) = FFN ∘ EncoderDecoderAttention(·, m) ∘ MaskedSelfAttention(y), each wrapped in a
// SublayerConnection   (Vaswani et al. 2017, §3.1, §3.2.3)
// Masked self-attention lets position t see positions ≤ t only; encoder-decoder attention sees every
// non-padding source position of the memory m.
import type { Tensor } from '@attend/torch';
import { attentionNames, feedForwardNames, type TransformerConfig } from '@attend/model-spec';
import type { Mode } from './dropout.ts';
import { AttentionCache, MultiHeadAttention } from './multi-head-attention.ts';
import type { ParameterStore } from './parameters.ts';
import { PositionwiseFeedForward } from './positionwise-feed-forward.ts';
import { SublayerConnection } from './sublayer-connection.ts';

/** One decoder layer's incremental state: its self-attention and encoder-decoder attention caches. */
export interface DecoderLayerCache {
  readonly self: AttentionCache;
  readonly cross: AttentionCache;
}

export class DecoderLayer {
  readonly selfAttention: MultiHeadAttention;
  readonly encoderAttention: MultiHeadAttention;
  readonly feedForward: PositionwiseFeedForward;
  private readonly selfSublayer: SublayerConnection;
  private readonly encoderSublayer: SublayerConnection;
  private readonly feedForwardSublayer: SublayerConnection;

  constructor(store: ParameterStore, config: TransformerConfig, layer: number, mode: Mode) {
    this.selfAttention = new MultiHeadAttention(store, config, 'decoder', layer, 'self_attn', mode);
    this.selfSublayer = new SublayerConnection(store, config, attentionNames('decoder', layer, 'self_attn').norm, mode);
    this.encoderAttention = new MultiHeadAttention(store, config, 'decoder', layer, 'encoder_attn', mode);
    this.encoderSublayer = new SublayerConnection(store, config, attentionNames('decoder', layer, 'encoder_attn').norm, mode);
    this.feedForward = new PositionwiseFeedForward(store, config, 'decoder', layer);
    this.feedForwardSublayer = new SublayerConnection(store, config, feedForwardNames('decoder', layer).norm, mode);
  }

  /**
   * y [B, T, d]; memory [B, S, d]; selfMask bool broadcastable to [B, 1, T, S_past + T] (causal, and target
   * padding when asked); srcMask bool [B, 1, 1, S], true at source padding.
   */
  forward(y: Tensor, memory: Tensor, selfMask: Tensor | null, srcMask: Tensor, cache?: DecoderLayerCache): Tensor {
    const a = this.selfSublayer.forward(y, (x) => this.selfAttention.forward(x, x, selfMask, cache?.self));
    const b = this.encoderSublayer.forward(a, (x) => this.encoderAttention.forward(x, memory, srcMask, cache?.cross));
    return this.feedForwardSublayer.forward(b, (x) => this.feedForward.forward(x));
  }
}
