export { type ExportOptions, exportModel, generationConfig } from './export-model.ts';
export { buildEncoderGraph } from './encoder-graph.ts';
export { buildDecoderGraph } from './decoder-graph.ts';
export { buildServingEncoderGraph } from './serving-encoder-graph.ts';
export { buildServingDecoderGraph } from './serving-decoder-graph.ts';
export { type QuantizeOptions, quantizeModel } from './quantize.ts';
export { weightsFromInt8 } from './int8-model-weights.ts';
export { checkWeights } from './model-weights.ts';
export {
  type ModelProto,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
  type AttributeValue,
  encodeModel,
} from './onnx-proto.ts';
