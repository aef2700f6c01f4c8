// Decoder(y, m) = Layer_N(... Layer_1(Embed(y), m), m)   (Vaswani et al. 2017, §3.1)
// Position t may attend to target positions ≤ t only (§3.2.3), so that predicting token t+1 never sees it.
import { torch, type Tensor } from '@attend/torch';
import { finalNormName, type TransformerConfig } from '@attend/model-spec';
import { DecoderLayer, type DecoderLayerCache } from './decoder-layer.ts';
import type { Mode } from './dropout.ts';
import { Embeddings } from './embeddings.ts';
import { sourceAttentionMask } from './encoder.ts';
import { AttentionCache } from './multi-head-attention.ts';
import { LayerNorm, type ParameterStore } from './parameters.ts';

/** Incremental decoding state: per layer caches, and how many target tokens they already hold. */
export class DecoderCache {
  readonly layers: DecoderLayerCache[];
  pastLength = 0;

  constructor(layers: number) {
    this.layers = Array.from({ length: layers }, () => ({ self: new AttentionCache(), cross: new AttentionCache() }));
  }

  dispose(): void {
    for (const layer of this.layers) {
      layer.self.dispose();
      layer.cross.dispose();
    }
  }
}

/**
 * Query i of T new tokens sits at absolute position past + i and may see keys 0 .. past + i:
 * [1, 1, T, past + T] bool, true above that diagonal. Built in JS: it is at most a few KB.
 */
export function causalMask(T: number, past = 0): Tensor {
  const width = past + T;
  const data = new Uint8Array(T * width);
  for (let i = 0; i < T; i++) data.fill(1, i * width + past + i + 1, (i + 1) * width);
  return torch.tensor(data, [1, 1, T, width], 'bool'); // [1, 1, T, past + T]
}

export interface DecodeOptions {
  /** Incremental decoding: reads and extends these caches; positions start at cache.pastLength. */
  readonly cache?: DecoderCache;
  /** [B, T] bool, true at target padding: also hide padded target keys (only matters with left padding). */
  readonly tgtPadMask?: Tensor;
}

export class Decoder {
  readonly layers: DecoderLayer[] = [];
  readonly finalNorm: LayerNorm | null;

  constructor(
    store: ParameterStore,
    config: TransformerConfig,
    private readonly embeddings: Embeddings,
    mode: Mode,
  ) {
    for (let i = 0; i < config.decoderLayers; i++) this.layers.push(new DecoderLayer(store, config, i, mode));
    this.finalNorm = config.norm === 'pre' ? new LayerNorm(store, finalNormName('decoder'), config.dModel) : null;
  }

  /** tgtIds [B, T] int64, memory [B, S, d], srcPadMask [B, S] bool -> hidden states [B, T, d]. */
  forward(tgtIds: Tensor, memory: Tensor, srcPadMask: Tensor, options: DecodeOptions = {}): Tensor {
    const { cache, tgtPadMask } = options;
    const past = cache?.pastLength ?? 0;
    const T = tgtIds.shape[1] ?? 0;
    const srcMask = sourceAttentionMask(srcPadMask);
    const selfMask = this.selfAttentionMask(T, past, tgtPadMask);
    let y = this.embeddings.forward(tgtIds, past);
    this.layers.forEach((layer, i) => {
      y = layer.forward(y, memory, selfMask, srcMask, cache?.layers[i]);
    });
    if (cache) cache.pastLength += T;
    return this.finalNorm ? this.finalNorm.forward(y) : y;
  }

  private selfAttentionMask(T: number, past: number, tgtPadMask?: Tensor): Tensor | null {
    // A single new token may see every cached one: nothing to mask.
    if (!tgtPadMask) return T === 1 ? null : causalMask(T, past);
    if (past > 0) throw new Error('tgtPadMask is for full-sequence decoding; incremental decoding keeps no padded steps');
    const [B = 0] = tgtPadMask.shape;
    const causal = causalMask(T).to('int32'); // [1, 1, T, T]
    const padded = tgtPadMask.view([B, 1, 1, T]).to('int32'); // [B, 1, 1, T]
    return causal.add(padded).gt(0); // [B, 1, T, T]: causal OR padded key
  }
}
