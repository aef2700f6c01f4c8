export { Transformer, type TransformerOptions } from './transformer.ts';
export { Decoder, DecoderCache, causalMask, type DecodeOptions } from './decoder.ts';
export { Encoder, sourceAttentionMask } from './encoder.ts';
export { MultiHeadAttention, AttentionCache, MASKED_SCORE } from './multi-head-attention.ts';
export { sinusoidTable, positionalEncoding } from './positional-encoding.ts';
export { labelSmoothedLoss, type LabelSmoothingOptions } from './label-smoothing.ts';
export { cooldownFactor, noamLr, peakLr, type CooldownOptions, type NoamOptions, type PeakLrOptions } from './noam-schedule.ts';
export { trainStep, type Batch, type Optimizer, type TrainStepOptions, type TrainStepResult } from './train-step.ts';
export {
  saveCheckpoint,
  readCheckpoint,
  loadCheckpoint,
  CHECKPOINT_FORMAT,
  type CheckpointState,
  type SaveCheckpointOptions,
  type StatefulOptimizer,
} from './checkpoint.ts';
