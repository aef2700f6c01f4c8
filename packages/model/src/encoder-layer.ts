// EncoderLayer(x) = SublayerConnection(FFN)(SublayerConnection(SelfAttention)(x))   (Vaswani et al. 2017, §3.1)
// Each position attends to every non-padding source position.
import type { Tensor } from '@attend/torch';
import { attentionNames, feedForwardNames, type TransformerConfig } from '@attend/model-spec';
import type { Mode } from './dropout.ts';
import { MultiHeadAttention } from './multi-head-attention.ts';
import type { ParameterStore } from './parameters.ts';
import { PositionwiseFeedForward } from './positionwise-feed-forward.ts';
import { SublayerConnection } from './sublayer-connection.ts';

export class EncoderLayer {
  readonly selfAttention: MultiHeadAttention;
  readonly feedForward: PositionwiseFeedForward;
  private readonly attentionSublayer: SublayerConnection;
  private readonly feedForwardSublayer: SublayerConnection;

  constructor(store: ParameterStore, config: TransformerConfig, layer: number, mode: Mode) {
    this.selfAttention = new MultiHeadAttention(store, config, 'encoder', layer, 'self_attn', mode);
    this.attentionSublayer = new SublayerConnection(store, config, attentionNames('encoder', layer, 'self_attn').norm, mode);
    this.feedForward = new PositionwiseFeedForward(store, config, 'encoder', layer);
    this.feedForwardSublayer = new SublayerConnection(store, config, feedForwardNames('encoder', layer).norm, mode);
  }

  /** x [B, S, d]; srcMask bool [B, 1, 1, S], true at padding. */
  forward(x: Tensor, srcMask: Tensor): Tensor {
    const attended = this.attentionSublayer.forward(x, (y) => this.selfAttention.forward(y, y, srcMask));
    return this.feedForwardSublayer.forward(attended, (y) => this.feedForward.forward(y));
  }
}
