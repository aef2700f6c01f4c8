// Encoder(x) = Layer_N(... Layer_1(Embed(x)))   (Vaswani et al. 2017, §3.1: N identical layers)
// Pre-norm stacks end with one more LayerNorm, since their residual stream is never normalised otherwise.
import type { Tensor } from '@attend/torch';
import { finalNormName, type TransformerConfig } from '@attend/model-spec';
import type { Mode } from './dropout.ts';
import { Embeddings } from './embeddings.ts';
import { EncoderLayer } from './encoder-layer.ts';
import { LayerNorm, type ParameterStore } from './parameters.ts';

/** [B, S] bool, true at padding -> [B, 1, 1, S]: broadcasts over heads and query positions. */
export function sourceAttentionMask(srcPadMask: Tensor): Tensor {
  const [B = 0, S = 0] = srcPadMask.shape;
  return srcPadMask.view([B, 1, 1, S]); // [B, 1, 1, S]
}

export class Encoder {
  readonly layers: EncoderLayer[] = [];
  readonly finalNorm: LayerNorm | null;

  constructor(
    store: ParameterStore,
    config: TransformerConfig,
    private readonly embeddings: Embeddings,
    mode: Mode,
  ) {
    for (let i = 0; i < config.encoderLayers; i++) this.layers.push(new EncoderLayer(store, config, i, mode));
    this.finalNorm = config.norm === 'pre' ? new LayerNorm(store, finalNormName('encoder'), config.dModel) : null;
  }

  /** srcIds [B, S] int64, srcPadMask [B, S] bool -> memory [B, S, d]. */
  forward(srcIds: Tensor, srcPadMask: Tensor): Tensor {
    const srcMask = sourceAttentionMask(srcPadMask);
    let x = this.embeddings.forward(srcIds);
    for (const layer of this.layers) x = layer.forward(x, srcMask);
    return this.finalNorm ? this.finalNorm.forward(x) : x;
  }
}
