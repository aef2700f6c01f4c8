// Runtime-agnostic (Workers, browsers, Node). The Node-only file helpers are the "./files" entry:
// `import { saveTokenizer, loadTokenizer, readTsvPairs } from '@attend/tokenizer/files'`.
export { type TrainOptions, trainBpe } from './bpe-trainer.ts';
export { type DecodeOptions, type EncodeOptions, Tokenizer } from './tokenizer.ts';
export {
  type BpeVocabulary,
  type Merge,
  type TokenizerConfigJson,
  type TokenizerConfigOptions,
  type TokenizerJson,
} from './tokenizer-json.ts';
export { METASPACE } from './pre-tokenize.ts';
