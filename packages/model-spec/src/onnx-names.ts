// Tensor names of the exported ONNX graphs, as Hugging Face Optimum names them for Marian, so that
// @huggingface/transformers runs our exports and our worker runs OPUS-MT exports.
// The exporter writes these names and the server feeds them: both import them from here.

export const ENCODER_INPUTS = { inputIds: 'input_ids', attentionMask: 'attention_mask' } as const;
export const ENCODER_OUTPUTS = { lastHiddenState: 'last_hidden_state' } as const;

export const DECODER_INPUTS = {
  inputIds: 'input_ids',
  encoderAttentionMask: 'encoder_attention_mask',
  encoderHiddenStates: 'encoder_hidden_states',
  /** bool [1]: false on the first step (cross-attention K/V are computed), true afterwards (reused). */
  useCacheBranch: 'use_cache_branch',
} as const;
export const DECODER_OUTPUTS = { logits: 'logits' } as const;

export type CacheKind = 'decoder' | 'encoder';
export type CacheTensor = 'key' | 'value';

export const pastName = (layer: number, kind: CacheKind, tensor: CacheTensor): string =>
  `past_key_values.${layer}.${kind}.${tensor}`;
export const presentName = (layer: number, kind: CacheKind, tensor: CacheTensor): string =>
  `present.${layer}.${kind}.${tensor}`;

/** Every cache slot of a decoder with `layers` layers, in the order Optimum lists them. */
export function cacheSlots(layers: number): { layer: number; kind: CacheKind; tensor: CacheTensor }[] {
  const slots: { layer: number; kind: CacheKind; tensor: CacheTensor }[] = [];
  for (let layer = 0; layer < layers; layer++) {
    for (const kind of ['decoder', 'encoder'] as const) {
      for (const tensor of ['key', 'value'] as const) slots.push({ layer, kind, tensor });
    }
  }
  return slots;
}

/** Symbolic axis names of the graphs. The batch axis is named exactly `batch_size`. */
export const AXES = {
  batch: 'batch_size',
  encoderSequence: 'encoder_sequence_length',
  decoderSequence: 'decoder_sequence_length',
  pastDecoderSequence: 'past_decoder_sequence_length',
  encoderSequenceOut: 'encoder_sequence_length_out',
  pastDecoderSequenceOut: 'past_decoder_sequence_length + 1',
} as const;

/** Files of a model folder (DESIGN.md, "The model artifact"). */
export const MODEL_FILES = {
  config: 'config.json',
  generationConfig: 'generation_config.json',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  manifest: 'manifest.json',
  encoder: 'onnx/encoder_model.onnx',
  decoder: 'onnx/decoder_model_merged.onnx',
  encoderQuantized: 'onnx/encoder_model_quantized.onnx',
  decoderQuantized: 'onnx/decoder_model_merged_quantized.onnx',
} as const;
