export {
  type Activation,
  type NormPlacement,
  type TransformerConfig,
  type PresetName,
  SPECIAL_TOKENS,
  TINY,
  BASE,
  PRESETS,
  resolveConfig,
  validateConfig,
  headDim,
} from './config.ts';
export {
  type AttentionKind,
  type Side,
  type WeightSpec,
  SHARED_EMBEDDING,
  FINAL_LOGITS_BIAS,
  LM_HEAD,
  positionsName,
  finalNormName,
  layerPrefix,
  attentionNames,
  feedForwardNames,
  weightSpecs,
} from './weight-names.ts';
export {
  type CacheKind,
  type CacheTensor,
  ENCODER_INPUTS,
  ENCODER_OUTPUTS,
  DECODER_INPUTS,
  DECODER_OUTPUTS,
  pastName,
  presentName,
  cacheSlots,
  AXES,
  MODEL_FILES,
} from './onnx-names.ts';
export { type TranslatorInfo, type MarianConfigJson, toMarianConfig, fromMarianConfig } from './marian-config.ts';
export { type Manifest, type ManifestFile, MANIFEST_FORMAT, parseManifest, manifestEntry } from './manifest.ts';
