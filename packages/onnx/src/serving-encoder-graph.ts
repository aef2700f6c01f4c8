// The serving encoder (model-spec serving-names.ts): the encoder stack of encoder-graph.ts, then each
// decoder layer's encoder-attention K = hW^K + b and V = hW^V + b, which every later decoder step of the
// row reuses. One run gives a row everything its decoding needs from the source.
import { AXES, attentionNames, cacheName, ENCODER_INPUTS, type TransformerConfig } from '@attend/model-spec';
import { encoderStack, OPSET, PRODUCER } from './encoder-graph.ts';
import { GraphBuilder } from './graph-builder.ts';
import { ModelWeights } from './model-weights.ts';
import type { ModelProto } from './onnx-proto.ts';
import { linearNamed } from './primitives.ts';

export function buildServingEncoderGraph(config: TransformerConfig, weights: ReadonlyMap<string, Float32Array>): ModelProto {
  const g = new GraphBuilder('encoder_serving');
  const w = new ModelWeights(config, weights, g);
  const ids = g.input(ENCODER_INPUTS.inputIds, 'int64', [AXES.batch, AXES.encoderSequence]);
  const mask = g.input(ENCODER_INPUTS.attentionMask, 'int64', [AXES.batch, AXES.encoderSequence]);
  const h = encoderStack(g, w, ids, mask); // [B, S, d]
  for (let i = 0; i < config.decoderLayers; i++) {
    g.within(`decoder/layers.${i}/encoder_attn`, () => {
      const a = attentionNames('decoder', i, 'encoder_attn');
      for (const [tensor, prefix] of [['key', a.k], ['value', a.v]] as const) {
        g.output(linearNamed(g, w, h, prefix, cacheName(i, 'cross', tensor)), 'float', [AXES.batch, AXES.encoderSequence, config.dModel]);
      }
    });
  }
  return { graph: g.build(), opsets: { '': OPSET }, producer: PRODUCER };
}
