// The serving graphs (DESIGN.md: serving graphs sit beside the Hugging Face ones): what the worker runs
// to decode many rows of different lengths in one decoder run. transformers.js never loads them; a
// folder without them (an OPUS-MT export) is served from the Hugging Face graphs, one row per run.
//
// Every cache tensor is [batch_size, length, d_model]: the heads are not split out, so a projection's
// output is already in cache layout and the caller copies a row's cache as one contiguous block.
//
// Encoder: input_ids, attention_mask int64 [batch_size, encoder_sequence_length] (as ENCODER_INPUTS)
//   -> cache.{i}.cross.key|value float32 [batch_size, encoder_sequence_length, d_model]: decoder layer
//      i's encoder-attention K and V of the encoder output (W^K h + b, W^V h + b), computed once per row.
//      Rows at padded positions hold finite values that the decoder masks.
// Decoder, one new token per row:
//   input_ids int64 [batch_size, 1]; position_ids int64 [batch_size, 1]: the row's position (its
//   tokens so far, decoder start included: 0 on the first step); encoder_attention_mask int64
//   [batch_size, encoder_sequence_length] (1 = a source token, 0 = padding);
//   cache.{i}.cross.key|value as the encoder gave them (rows padded to the longest source);
//   cache.{i}.self.key|value float32 [batch_size, cache_length, d_model], cache_length > every
//   position: slots 0..position-1 hold the row's earlier keys/values, the slot at `position` is
//   overwritten by this step, later slots are padding (finite values, masked).
//   -> log_probs float32 [batch_size, 1, vocab]: ln p of every next token, the log softmax of the
//   logits (computed in the graph, so the caller reads a token's ln p instead of summing 8,000
//   exponentials per row); new.{i}.self.key|value float32 [batch_size, 1, d_model]: this token's
//   keys/values, which the caller writes to slot `position` of the row's cache.
// The self-attention mask is derived from position_ids (a row sees slots 0..position), so the caller
// feeds none.
//
// A row computes the same bits alone or in a batch when the caller pads cache_length and
// encoder_sequence_length to a multiple of KEY_ALIGNMENT: padded keys come after a row's own and weigh
// exactly 0, but onnxruntime-web's fp32 MatMul computes the last (N mod 4) columns of q K^T on a scalar
// path that rounds differently from its 4-wide path, and its Softmax sums a row's tail likewise; with
// every length a multiple of 4, each key takes the same path at any padding (measured: of 770 lengths
// and paddings, 0 differ; unaligned, 105-168 of 280 differ).

export const SERVING_FILES = {
  encoder: 'onnx/encoder_model_serving_quantized.onnx',
  decoder: 'onnx/decoder_model_serving_quantized.onnx',
} as const;

export const SERVING_DECODER_INPUTS = {
  inputIds: 'input_ids',
  positionIds: 'position_ids',
  encoderAttentionMask: 'encoder_attention_mask',
} as const;

export const SERVING_DECODER_OUTPUTS = { logProbs: 'log_probs' } as const;

export type ServingCache = 'self' | 'cross';

export const cacheName = (layer: number, kind: ServingCache, tensor: 'key' | 'value'): string => `cache.${layer}.${kind}.${tensor}`;
export const newSelfName = (layer: number, tensor: 'key' | 'value'): string => `new.${layer}.self.${tensor}`;

export const SERVING_AXES = { cacheLength: 'cache_length' } as const;

/** cache_length and encoder_sequence_length are multiples of this (see above). */
export const KEY_ALIGNMENT = 4;
