// config.json of an exported model: Hugging Face's MarianConfig plus our "translator" block.
import { type TransformerConfig, validateConfig } from './config.ts';

/** Our block inside config.json: what the model translates and how it was made. */
export interface TranslatorInfo {
  readonly source: string; // BCP-47 language code of the input, e.g. "en"
  readonly target: string; // e.g. "es"
  readonly norm: TransformerConfig['norm'];
  readonly training?: Readonly<Record<string, unknown>>; // resolved training config and summary
  readonly metrics?: Readonly<Record<string, number>>; // e.g. { "dev.bleu": 31.2, "dev.chrf": 55.0 }
}

export interface MarianConfigJson {
  readonly model_type: 'marian';
  readonly architectures: readonly ['MarianMTModel'];
  readonly is_encoder_decoder: true;
  readonly vocab_size: number;
  readonly decoder_vocab_size: number;
  readonly d_model: number;
  readonly encoder_layers: number;
  readonly decoder_layers: number;
  readonly encoder_attention_heads: number;
  readonly decoder_attention_heads: number;
  readonly encoder_ffn_dim: number;
  readonly decoder_ffn_dim: number;
  readonly activation_function: 'relu' | 'swish';
  readonly max_position_embeddings: number;
  readonly scale_embedding: boolean;
  readonly share_encoder_decoder_embeddings: true;
  readonly tie_word_embeddings: true;
  readonly dropout: number;
  readonly attention_dropout: number;
  readonly activation_dropout: number;
  readonly pad_token_id: number;
  readonly eos_token_id: number;
  readonly forced_eos_token_id: number;
  readonly decoder_start_token_id: number;
  readonly bad_words_ids: readonly (readonly number[])[];
  readonly no_repeat_ngram_size: number;
  readonly use_cache: true;
  readonly translator: TranslatorInfo;
}

/**
 * `noRepeatNgramSize`: a token n-gram of this size never occurs twice in an output (0: off). Written
 * even when 0, so that a folder states the guard every runtime applies rather than leaving it to a
 * reader's default (0 is Hugging Face's own "off", so older readers see no change).
 */
export function toMarianConfig(config: TransformerConfig, translator: Omit<TranslatorInfo, 'norm'>, noRepeatNgramSize = 0): MarianConfigJson {
  checkNoRepeatNgramSize(noRepeatNgramSize, 'toMarianConfig: noRepeatNgramSize');
  return {
    model_type: 'marian',
    architectures: ['MarianMTModel'],
    is_encoder_decoder: true,
    vocab_size: config.vocabSize,
    decoder_vocab_size: config.vocabSize,
    d_model: config.dModel,
    encoder_layers: config.encoderLayers,
    decoder_layers: config.decoderLayers,
    encoder_attention_heads: config.heads,
    decoder_attention_heads: config.heads,
    encoder_ffn_dim: config.dFF,
    decoder_ffn_dim: config.dFF,
    activation_function: config.activation,
    max_position_embeddings: config.maxPositions,
    scale_embedding: config.scaleEmbedding,
    share_encoder_decoder_embeddings: true,
    tie_word_embeddings: true,
    dropout: config.dropout,
    attention_dropout: config.attentionDropout,
    activation_dropout: 0,
    pad_token_id: config.padId,
    eos_token_id: config.eosId,
    forced_eos_token_id: config.eosId,
    decoder_start_token_id: config.decoderStartId,
    bad_words_ids: [[config.padId]], // never generate <pad>
    no_repeat_ngram_size: noRepeatNgramSize,
    use_cache: true,
    translator: { ...translator, norm: config.norm },
  };
}

/** Reads config.json (ours, or an OPUS-MT Marian export without the translator block). */
export function fromMarianConfig(json: Record<string, unknown>): TransformerConfig {
  const num = (key: string): number => {
    const value = json[key];
    if (typeof value !== 'number') throw new Error(`config.json: "${key}" must be a number, got ${JSON.stringify(value)}`);
    return value;
  };
  if (json.model_type !== 'marian') throw new Error(`config.json: model_type must be "marian", got ${JSON.stringify(json.model_type)}`);
  if (num('encoder_attention_heads') !== num('decoder_attention_heads')) {
    throw new Error('config.json: encoder and decoder must have the same number of attention heads');
  }
  if (num('encoder_ffn_dim') !== num('decoder_ffn_dim')) throw new Error('config.json: encoder and decoder ffn dims must match');
  const activation = json.activation_function;
  if (activation !== 'relu' && activation !== 'swish') {
    throw new Error(`config.json: activation_function must be "relu" or "swish", got ${JSON.stringify(activation)}`);
  }
  const translator = json.translator as Partial<TranslatorInfo> | undefined;
  const config: TransformerConfig = {
    vocabSize: num('vocab_size'),
    dModel: num('d_model'),
    heads: num('encoder_attention_heads'),
    dFF: num('encoder_ffn_dim'),
    encoderLayers: num('encoder_layers'),
    decoderLayers: num('decoder_layers'),
    maxPositions: num('max_position_embeddings'),
    dropout: typeof json.dropout === 'number' ? json.dropout : 0.1,
    attentionDropout: typeof json.attention_dropout === 'number' ? json.attention_dropout : 0,
    activation,
    norm: translator?.norm === 'pre' ? 'pre' : 'post',
    scaleEmbedding: json.scale_embedding !== false,
    padId: num('pad_token_id'),
    eosId: num('eos_token_id'),
    unkId: typeof json.unk_token_id === 'number' ? json.unk_token_id : 2,
    decoderStartId: num('decoder_start_token_id'),
  };
  validateConfig(config);
  return config;
}

/** How every runtime decodes this model, beside the search the request asks for. */
export interface GenerationSettings {
  readonly badWordsIds: number[][];
  readonly noRepeatNgramSize: number;
}

/**
 * The generation settings of config.json: bad_words_ids ([[pad]] when absent or malformed: <pad> is
 * never part of a translation) and no_repeat_ngram_size (0 when absent, as in folders exported before
 * it; an invalid value throws rather than let runtimes decode differently).
 */
export function generationSettings(json: Record<string, unknown>, config: TransformerConfig): GenerationSettings {
  const words = json.bad_words_ids;
  const valid = Array.isArray(words) && words.every((s) => Array.isArray(s) && s.length > 0 && s.every(Number.isInteger));
  const noRepeatNgramSize = json.no_repeat_ngram_size === undefined ? 0 : json.no_repeat_ngram_size;
  checkNoRepeatNgramSize(noRepeatNgramSize, 'config.json: "no_repeat_ngram_size"');
  return { badWordsIds: valid ? (words as number[][]) : [[config.padId]], noRepeatNgramSize };
}

function checkNoRepeatNgramSize(value: unknown, what: string): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new Error(`${what} must be a non-negative integer (0 turns the guard off), got ${JSON.stringify(value)}`);
  }
}
