export type { Seq2SeqModel, StepOutput } from './seq2seq-model.ts';
export { type GenerationOptions, type SpecialTokenIds, GENERATION_DEFAULTS } from './options.ts';
export type { Alternative, GenerationEvent, GenerationResult, Translation, Usage } from './translation.ts';
export { generate, generateStream } from './generate.ts';
export { type Beam, type BeamSelection, type BeamStep, type Hypothesis, type SelectCandidates, selectTopCandidates } from './beam-candidates.ts';
export { TextStreamer } from './text-streamer.ts';
export { type ConstraintState, Constraints, type Phrase } from './constraints/constraint-state.ts';
export { type Allocated, type ConstrainedBeam, nextConstrainedBeams } from './constraints/beam-allocation.ts';
export { selectWithConstraints } from './constraints/constrained-search.ts';
export type { RowDecoder } from './row-decoder.ts';
export { type Reservation, type RowLimits, RowBudget } from './row-budget.ts';
export type { GenerationState, ScheduledGeneration } from './scheduled-generation.ts';
export { ENCODED_TOKEN_COST, StepScheduler, type TickCosts } from './step-scheduler.ts';
export {
  type MakeTensor,
  type OnnxCache,
  type OnnxMemory,
  type OnnxSeq2SeqOptions,
  type RunSession,
  type TensorData,
  type TensorLike,
  type TensorType,
  createOnnxSeq2Seq,
} from './onnx-seq2seq.ts';
export { type OnnxRow, createOnnxRowDecoder } from './onnx-row-decoder.ts';
export { type ServingDecoderOptions, type ServingRow, createServingDecoder } from './onnx-serving-decoder.ts';
