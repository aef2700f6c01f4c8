export type { Seq2SeqModel, StepOutput } from './seq2seq-model.ts';
export { type GenerationOptions, type SpecialTokenIds, GENERATION_DEFAULTS } from './options.ts';
export type { GenerationEvent, GenerationResult, Translation, Usage } from './translation.ts';
export { generate, generateStream } from './generate.ts';
export { TextStreamer } from './text-streamer.ts';
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
