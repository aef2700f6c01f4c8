// The Transformer's shape and training-time knobs, shared by the trainer, the exporter and the server.
// The resolved config travels with the exported model (config.json), so inference reads exactly what
// training used.

export type Activation = 'relu' | 'swish';
export type NormPlacement = 'post' | 'pre';

export interface TransformerConfig {
  readonly vocabSize: number; // one joint vocabulary for source and target (tied embeddings)
  readonly dModel: number; // width of every residual stream (paper: 512)
  readonly heads: number; // attention heads; dModel / heads = d_k = d_v
  readonly dFF: number; // inner width of the position-wise feed-forward (paper: 2048)
  readonly encoderLayers: number; // N in the paper (6)
  readonly decoderLayers: number; // N in the paper (6)
  readonly maxPositions: number; // longest sequence the sinusoid table covers
  readonly dropout: number; // P_drop on sublayer outputs and embeddings (paper: 0.1)
  readonly attentionDropout: number; // on attention weights (paper: none; Marian/OpenNMT: 0.0-0.1)
  readonly activation: Activation; // paper: ReLU; OPUS-MT: swish
  readonly norm: NormPlacement; // paper and Marian: post-norm; pre-norm trains deeper stacks stably
  readonly scaleEmbedding: boolean; // multiply embeddings by sqrt(dModel) (paper §3.4)
  readonly padId: number;
  readonly eosId: number;
  readonly unkId: number;
  readonly decoderStartId: number; // Marian starts decoding from <pad>
}

/** Special tokens, in the order they occupy the first ids of every vocabulary we train. */
export const SPECIAL_TOKENS = {
  pad: { id: 0, content: '<pad>' },
  eos: { id: 1, content: '</s>' },
  unk: { id: 2, content: '<unk>' },
} as const;

const SHARED: Omit<TransformerConfig, 'vocabSize' | 'dModel' | 'heads' | 'dFF' | 'encoderLayers' | 'decoderLayers'> = {
  maxPositions: 512, // sentences longer than this are split before translation
  dropout: 0.1, // paper §5.4
  attentionDropout: 0, // the paper drops sublayer outputs only
  activation: 'relu', // paper §3.3
  norm: 'post', // paper §3.1, Marian
  scaleEmbedding: true, // paper §3.4
  padId: SPECIAL_TOKENS.pad.id,
  eosId: SPECIAL_TOKENS.eos.id,
  unkId: SPECIAL_TOKENS.unk.id,
  decoderStartId: SPECIAL_TOKENS.pad.id,
};

/** Small enough for a Worker isolate: a few MB of int8 weights. */
export const TINY: TransformerConfig = {
  ...SHARED,
  vocabSize: 8000,
  dModel: 256,
  heads: 4,
  dFF: 1024,
  encoderLayers: 3,
  decoderLayers: 3,
};

/** The paper's base model (Vaswani et al. 2017, Table 3). */
export const BASE: TransformerConfig = {
  ...SHARED,
  vocabSize: 32000,
  dModel: 512,
  heads: 8,
  dFF: 2048,
  encoderLayers: 6,
  decoderLayers: 6,
};

export const PRESETS = { tiny: TINY, base: BASE } as const;
export type PresetName = keyof typeof PRESETS;

/** Fills a partial config from a preset and checks that the shape is consistent. */
export function resolveConfig(overrides: Partial<TransformerConfig> = {}, preset: PresetName = 'tiny'): TransformerConfig {
  const config: TransformerConfig = { ...PRESETS[preset], ...overrides };
  validateConfig(config);
  return config;
}

export function validateConfig(config: TransformerConfig): void {
  const positive = ['vocabSize', 'dModel', 'heads', 'dFF', 'encoderLayers', 'decoderLayers', 'maxPositions'] as const;
  for (const key of positive) {
    const value = config[key];
    if (!Number.isInteger(value) || value <= 0) throw new Error(`config.${key} must be a positive integer, got ${value}`);
  }
  if (config.dModel % config.heads !== 0) {
    throw new Error(`config.dModel (${config.dModel}) must be divisible by config.heads (${config.heads})`);
  }
  if (config.dModel % 2 !== 0) throw new Error(`config.dModel must be even for the sinusoidal encoding, got ${config.dModel}`);
  for (const key of ['dropout', 'attentionDropout'] as const) {
    if (!(config[key] >= 0 && config[key] < 1)) throw new Error(`config.${key} must be in [0, 1), got ${config[key]}`);
  }
  for (const key of ['padId', 'eosId', 'unkId', 'decoderStartId'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 0 || config[key] >= config.vocabSize) {
      throw new Error(`config.${key} must be a token id below vocabSize, got ${config[key]}`);
    }
  }
}

export function headDim(config: TransformerConfig): number {
  return config.dModel / config.heads;
}
