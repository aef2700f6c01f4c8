// The serving decoder (model-spec serving-names.ts): one new token for each row of a batch whose rows
// are at different positions, as the worker's scheduler steps them. Per row b at position p_b:
//   1) embed its token at p_b; its self-attention sees cache slots 0..p_b, the slot p_b holding this
//      token's own K, V (written into the fed cache here, and returned for the caller to keep)
//   2) N layers of masked self-attention, encoder-decoder attention over the row's own source
//      (cross K, V from the serving encoder) and feed-forward (Vaswani et al. 2017, §3.1)
//   3) ln p(next token) = log softmax(h E^T + final_logits_bias)
// Slots after p_b are padding (model-spec KEY_ALIGNMENT says how much to pad for a row to compute the
// same bits alone or in a batch). Attention is onnxruntime's fused MultiHeadAttention (a contrib op:
// the serving graphs are for onnxruntime only) and quantizeModel's contribOps fuse the int8 products.
import {
  AXES,
  attentionNames,
  cacheName,
  feedForwardNames,
  newSelfName,
  SERVING_AXES,
  SERVING_DECODER_INPUTS,
  SERVING_DECODER_OUTPUTS,
  type TransformerConfig,
} from '@attend/model-spec';
import { embedAt, outputLogits } from './embeddings.ts';
import { finalNorm, OPSET, PRODUCER, residual } from './encoder-graph.ts';
import { attr, GraphBuilder } from './graph-builder.ts';
import { ModelWeights } from './model-weights.ts';
import { attendFused, CONTRIB_DOMAIN } from './multi-head-attention.ts';
import type { ModelProto } from './onnx-proto.ts';
import { positionwiseFeedForward } from './positionwise-feed-forward.ts';
import { dim, linear, linearNamed } from './primitives.ts';

const INT32 = 6; // onnx.TensorProto.DataType

interface RowSlots {
  readonly at: string; // ScatterND indices [B, 1, 2]: (b, p_b)
  readonly mask: string; // int32 [B, cache_length]: 1 at slots 0..p_b, 0 after
}

export function buildServingDecoderGraph(config: TransformerConfig, weights: ReadonlyMap<string, Float32Array>): ModelProto {
  const g = new GraphBuilder('decoder_serving');
  const w = new ModelWeights(config, weights, g);
  const d = config.dModel;
  const ids = g.input(SERVING_DECODER_INPUTS.inputIds, 'int64', [AXES.batch, 1]);
  const positions = g.input(SERVING_DECODER_INPUTS.positionIds, 'int64', [AXES.batch, 1]);
  const encoderMask = g.input(SERVING_DECODER_INPUTS.encoderAttentionMask, 'int64', [AXES.batch, AXES.encoderSequence]);
  for (let i = 0; i < config.decoderLayers; i++) {
    for (const tensor of ['key', 'value'] as const) g.input(cacheName(i, 'self', tensor), 'float', [AXES.batch, SERVING_AXES.cacheLength, d]);
    for (const tensor of ['key', 'value'] as const) g.input(cacheName(i, 'cross', tensor), 'float', [AXES.batch, AXES.encoderSequence, d]);
  }

  const slots = rowSlots(g, positions, dim(g, cacheName(0, 'self', 'key'), 1));
  const crossMask = g.op('Cast', [encoderMask], { to: attr.int(INT32) }); // [B, S]
  let x = embedAt(g, w, 'decoder', ids, positions); // [B, 1, d]
  for (let i = 0; i < config.decoderLayers; i++) {
    g.within(`decoder/layers.${i}`, () => {
      const sa = attentionNames('decoder', i, 'self_attn');
      x = residual(g, w, x, sa.norm, (input) =>
        g.within('self_attn', () => {
          const q = linear(g, w, input, sa.q); // [B, 1, d]
          const [key, value] = (['key', 'value'] as const).map((tensor) => {
            const fresh = linearNamed(g, w, input, tensor === 'key' ? sa.k : sa.v, newSelfName(i, tensor)); // [B, 1, d]
            return g.op('ScatterND', [cacheName(i, 'self', tensor), slots.at, fresh]); // [B, cache_length, d]
          }) as [string, string];
          return attendFused(g, w, q, key, value, slots.mask, sa.out);
        }),
      );
      const ca = attentionNames('decoder', i, 'encoder_attn');
      x = residual(g, w, x, ca.norm, (input) =>
        g.within('encoder_attn', () => attendFused(g, w, linear(g, w, input, ca.q), cacheName(i, 'cross', 'key'), cacheName(i, 'cross', 'value'), crossMask, ca.out)),
      );
      const f = feedForwardNames('decoder', i);
      x = residual(g, w, x, f.norm, (input) => positionwiseFeedForward(g, w, input, f));
    });
  }
  const logits = outputLogits(g, w, finalNorm(g, w, x, 'decoder')); // [B, 1, V]
  g.opNamed('LogSoftmax', [logits], [SERVING_DECODER_OUTPUTS.logProbs], { axis: attr.int(-1) });

  g.output(SERVING_DECODER_OUTPUTS.logProbs, 'float', [AXES.batch, 1, config.vocabSize]);
  for (let i = 0; i < config.decoderLayers; i++) {
    for (const tensor of ['key', 'value'] as const) g.output(newSelfName(i, tensor), 'float', [AXES.batch, 1, d]);
  }
  return { graph: g.build(), opsets: { '': OPSET, [CONTRIB_DOMAIN]: 1 }, producer: PRODUCER };
}

/** Where each row's new K, V go in the self-attention cache, and which slots its query sees. */
function rowSlots(g: GraphBuilder, positions: string, cacheLength: string): RowSlots {
  return g.within('row_slots', () => {
    const one = g.ints([1], []);
    const rows = g.op('Range', [g.ints([0], []), dim(g, positions, 0), one]); // [B]
    const rowIndex = g.op('Reshape', [rows, g.ints([-1, 1, 1])]); // [B, 1, 1]
    const at = g.op('Concat', [rowIndex, g.op('Unsqueeze', [positions, g.ints([2])])], { axis: attr.int(2) }); // [B, 1, 2]
    const keys = g.op('Range', [g.ints([0], []), cacheLength, one]); // [cache_length]
    const seen = g.op('Not', [g.op('Greater', [keys, positions])]); // [B, cache_length]
    return { at, mask: g.op('Cast', [seen], { to: attr.int(INT32) }) };
  });
}
