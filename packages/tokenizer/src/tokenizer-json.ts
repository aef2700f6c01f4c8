// The Hugging Face files: tokenizer.json (the pipeline and the BPE model) and tokenizer_config.json.
// Accepted as written by the Rust `tokenizers` (>= 0.20, for merges as pairs), @huggingface/tokenizers
// 0.2 and @huggingface/transformers 4. The pipeline is fixed: pre-tokenize.ts implements exactly it.
import { PRESETS, SPECIAL_TOKENS } from '@attend/model-spec';
import { METASPACE } from './pre-tokenize.ts';
import { SPECIAL_TOKEN_LIST } from './vocabulary.ts';

export type Merge = readonly [string, string];

export interface BpeVocabulary {
  readonly tokens: readonly string[]; // by id: specials, 256 bytes, characters, merged tokens
  readonly merges: readonly Merge[]; // by rank: the first is applied first
}

const NORMALIZER = {
  type: 'Sequence',
  normalizers: [{ type: 'NFC' }, { type: 'Prepend', prepend: METASPACE }],
};
// Rust splits words here; @huggingface/tokenizers ignores `split` and runs BPE on the whole section,
// which gives the same tokens because no learned token has a "▁" after its first character.
const PRE_TOKENIZER = { type: 'Metaspace', replacement: METASPACE, prepend_scheme: 'always', split: true };
const EOS = SPECIAL_TOKENS.eos.content;
// Marian appends </s> to the source (and to the target labels); pairs are only concatenated.
const POST_PROCESSOR = {
  type: 'TemplateProcessing',
  single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: EOS, type_id: 0 } }],
  pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: EOS, type_id: 0 } }],
  special_tokens: { [EOS]: { id: EOS, ids: [SPECIAL_TOKENS.eos.id], tokens: [EOS] } },
};
const DECODER = {
  type: 'Sequence',
  decoders: [
    { type: 'Replace', pattern: { String: METASPACE }, content: ' ' },
    { type: 'ByteFallback' },
    { type: 'Fuse' },
    { type: 'Strip', content: ' ', start: 1, stop: 0 },
  ],
};

const ADDED_TOKEN_FLAGS = { single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };

export interface TokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: Array<{ id: number; content: string } & typeof ADDED_TOKEN_FLAGS>;
  normalizer: typeof NORMALIZER;
  pre_tokenizer: typeof PRE_TOKENIZER;
  post_processor: typeof POST_PROCESSOR;
  decoder: typeof DECODER;
  model: {
    type: 'BPE';
    dropout: null;
    unk_token: string;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: true;
    byte_fallback: true;
    ignore_merges: false;
    vocab: Record<string, number>;
    merges: Array<[string, string]>;
  };
}

export function toTokenizerJson({ tokens, merges }: BpeVocabulary): TokenizerJson {
  const vocab: Record<string, number> = {};
  tokens.forEach((token, id) => {
    vocab[token] = id;
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKEN_LIST.map((t) => ({ id: t.id, content: t.content, ...ADDED_TOKEN_FLAGS })),
    normalizer: NORMALIZER,
    pre_tokenizer: PRE_TOKENIZER,
    post_processor: POST_PROCESSOR,
    decoder: DECODER,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: SPECIAL_TOKENS.unk.content,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: merges.map(([a, b]) => [a, b]),
    },
  };
}

/** Reads the vocabulary back from a tokenizer.json that this package wrote (parsed JSON). */
export function fromTokenizerJson(json: unknown): BpeVocabulary {
  const root = json as Partial<Record<keyof TokenizerJson, unknown>> | null;
  if (typeof root !== 'object' || root === null) throw new Error('tokenizer.json must be a JSON object');
  const layout = { normalizer: NORMALIZER, pre_tokenizer: PRE_TOKENIZER, post_processor: POST_PROCESSOR, decoder: DECODER };
  for (const [field, expected] of Object.entries(layout)) {
    if (!sameJson(root[field as keyof TokenizerJson], expected)) {
      throw new Error(
        `tokenizer.json: "${field}" is not the pipeline @attend/tokenizer writes (${JSON.stringify(expected)}); ` +
          'this tokenizer encodes only that layout: retrain with trainBpe or load the file with @huggingface/tokenizers',
      );
    }
  }
  const model = root.model as Partial<TokenizerJson['model']> | undefined;
  const vocabOk = typeof model?.vocab === 'object' && model.vocab !== null;
  if (model?.type !== 'BPE' || model.byte_fallback !== true || !vocabOk || !Array.isArray(model.merges)) {
    throw new Error('tokenizer.json: model must be {type: "BPE", byte_fallback: true, vocab, merges}');
  }
  const entries = Object.entries(model.vocab as Record<string, number>);
  const tokens: string[] = new Array<string>(entries.length);
  for (const [token, id] of entries) {
    if (!Number.isInteger(id) || id < 0 || id >= entries.length || tokens[id] !== undefined) {
      throw new Error(`tokenizer.json: vocab ids must be 0..${entries.length - 1}, each once; "${token}" has ${id}`);
    }
    tokens[id] = token;
  }
  const merges = (model.merges as unknown[]).map((merge): Merge => {
    // Older files store a merge as "left right"; tokens never contain U+0020 (Metaspace replaced it).
    const parts = typeof merge === 'string' ? merge.split(' ') : merge;
    if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => typeof p === 'string')) {
      throw new Error(`tokenizer.json: a merge must be [left, right], got ${JSON.stringify(merge)}`);
    }
    return [parts[0] as string, parts[1] as string];
  });
  return { tokens, merges };
}

export interface TokenizerConfigOptions {
  readonly modelMaxLength?: number; // longest input the model takes, in tokens
}

export function tokenizerConfigJson({ modelMaxLength = PRESETS.tiny.maxPositions }: TokenizerConfigOptions = {}) {
  const decoder: Record<string, { content: string } & typeof ADDED_TOKEN_FLAGS> = {};
  for (const t of SPECIAL_TOKEN_LIST) decoder[String(t.id)] = { content: t.content, ...ADDED_TOKEN_FLAGS };
  return {
    // transformers.js 4 drops the "Fast" suffix and builds its generic PreTrainedTokenizer; Python
    // builds PreTrainedTokenizerFast. Not "MarianTokenizer": transformers.js's trims the input text.
    tokenizer_class: 'PreTrainedTokenizerFast',
    model_max_length: modelMaxLength,
    pad_token: SPECIAL_TOKENS.pad.content,
    eos_token: SPECIAL_TOKENS.eos.content,
    unk_token: SPECIAL_TOKENS.unk.content,
    // Both HF runtimes default to true, which turns "a ." into "a." and breaks exact round trips.
    clean_up_tokenization_spaces: false,
    padding_side: 'right',
    added_tokens_decoder: decoder,
  };
}

export type TokenizerConfigJson = ReturnType<typeof tokenizerConfigJson>;

function sameJson(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const xs = x as Record<string, unknown>;
  const ys = y as Record<string, unknown>;
  const keys = Object.keys(xs);
  return keys.length === Object.keys(ys).length && keys.every((k) => Object.hasOwn(ys, k) && sameJson(xs[k], ys[k]));
}
