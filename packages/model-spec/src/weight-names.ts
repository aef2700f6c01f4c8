// Parameter names of the Transformer, exactly as Hugging Face's MarianMTModel names them, so that a
// checkpoint written by our trainer is a Marian state dict and the exporter maps names 1:1.
// Linear weights are stored [out_features, in_features] (PyTorch's nn.Linear layout).
import type { TransformerConfig } from './config.ts';

export type AttentionKind = 'self_attn' | 'encoder_attn';
export type Side = 'encoder' | 'decoder';

export const SHARED_EMBEDDING = 'model.shared.weight'; // [vocab, d_model], tied to both embeddings and lm_head
export const FINAL_LOGITS_BIAS = 'final_logits_bias'; // [1, vocab]
export const LM_HEAD = 'lm_head.weight'; // tied: an alias of SHARED_EMBEDDING, never stored twice

export const positionsName = (side: Side): string => `model.${side}.embed_positions.weight`; // [max_pos, d_model]
/** Final LayerNorm after the stack; present only for pre-norm models (MBart naming). */
export const finalNormName = (side: Side): string => `model.${side}.layer_norm`;

export const layerPrefix = (side: Side, layer: number): string => `model.${side}.layers.${layer}`;

export const attentionNames = (side: Side, layer: number, kind: AttentionKind) => {
  const p = `${layerPrefix(side, layer)}.${kind}`;
  return {
    q: `${p}.q_proj`,
    k: `${p}.k_proj`,
    v: `${p}.v_proj`,
    out: `${p}.out_proj`,
    norm: `${p}_layer_norm`,
  } as const;
};

export const feedForwardNames = (side: Side, layer: number) => {
  const p = layerPrefix(side, layer);
  return { fc1: `${p}.fc1`, fc2: `${p}.fc2`, norm: `${p}.final_layer_norm` } as const;
};

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Every stored tensor of a model with this config, in a stable order. */
export function weightSpecs(config: TransformerConfig): WeightSpec[] {
  const d = config.dModel;
  const specs: WeightSpec[] = [
    { name: SHARED_EMBEDDING, shape: [config.vocabSize, d] },
    { name: FINAL_LOGITS_BIAS, shape: [1, config.vocabSize] },
  ];
  const linear = (name: string, out: number, inp: number) => {
    specs.push({ name: `${name}.weight`, shape: [out, inp] }, { name: `${name}.bias`, shape: [out] });
  };
  const norm = (name: string) => {
    specs.push({ name: `${name}.weight`, shape: [d] }, { name: `${name}.bias`, shape: [d] });
  };
  const attention = (side: Side, layer: number, kind: AttentionKind) => {
    const n = attentionNames(side, layer, kind);
    linear(n.k, d, d);
    linear(n.v, d, d);
    linear(n.q, d, d);
    linear(n.out, d, d);
    norm(n.norm);
  };
  const feedForward = (side: Side, layer: number) => {
    const n = feedForwardNames(side, layer);
    linear(n.fc1, config.dFF, d);
    linear(n.fc2, d, config.dFF);
    norm(n.norm);
  };
  for (const side of ['encoder', 'decoder'] as const) {
    specs.push({ name: positionsName(side), shape: [config.maxPositions, d] });
    const layers = side === 'encoder' ? config.encoderLayers : config.decoderLayers;
    for (let i = 0; i < layers; i++) {
      attention(side, i, 'self_attn');
      if (side === 'decoder') attention(side, i, 'encoder_attn');
      feedForward(side, i);
    }
    if (config.norm === 'pre') norm(finalNormName(side));
  }
  return specs;
}
