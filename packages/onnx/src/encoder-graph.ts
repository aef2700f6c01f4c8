// The encoder: N identical layers of self-attention and feed-forward (Vaswani et al. 2017, §3.1).
// post-norm (paper, Marian): x = LN(x + Sublayer(x));  pre-norm: x = x + Sublayer(LN(x)), final LN.
import {
  AXES,
  ENCODER_INPUTS,
  ENCODER_OUTPUTS,
  attentionNames,
  feedForwardNames,
  finalNormName,
  type TransformerConfig,
} from '@attend/model-spec';
import { embed, paddingBias } from './embeddings.ts';
import { GraphBuilder } from './graph-builder.ts';
import { ModelWeights } from './model-weights.ts';
import { attend, projectHeads, queryScale } from './multi-head-attention.ts';
import type { ModelProto } from './onnx-proto.ts';
import { positionwiseFeedForward } from './positionwise-feed-forward.ts';
import { dim, layerNorm } from './primitives.ts';

export const OPSET = 17;
export const PRODUCER = '@attend/onnx';

/** Adds x + sublayer(x) with the norm placed as the config says. */
export function residual(g: GraphBuilder, w: ModelWeights, x: string, norm: string, sublayer: (input: string) => string): string {
  if (w.config.norm === 'pre') return g.op('Add', [x, sublayer(layerNorm(g, w, x, norm))]);
  return layerNorm(g, w, g.op('Add', [x, sublayer(x)]), norm);
}

export function finalNorm(g: GraphBuilder, w: ModelWeights, x: string, side: 'encoder' | 'decoder'): string {
  return w.config.norm === 'pre' ? layerNorm(g, w, x, finalNormName(side)) : x;
}

export function buildEncoderGraph(config: TransformerConfig, weights: ReadonlyMap<string, Float32Array>): ModelProto {
  const g = new GraphBuilder('encoder');
  const w = new ModelWeights(config, weights, g);
  const ids = g.input(ENCODER_INPUTS.inputIds, 'int64', [AXES.batch, AXES.encoderSequence]);
  const mask = g.input(ENCODER_INPUTS.attentionMask, 'int64', [AXES.batch, AXES.encoderSequence]);
  g.opNamed('Identity', [encoderStack(g, w, ids, mask)], [ENCODER_OUTPUTS.lastHiddenState]);
  g.output(ENCODER_OUTPUTS.lastHiddenState, 'float', [AXES.batch, AXES.encoderSequence, config.dModel]);
  return { graph: g.build(), opsets: { '': OPSET }, producer: PRODUCER };
}

/** ids and mask [B, S] -> the encoder output h [B, S, d]. */
export function encoderStack(g: GraphBuilder, w: ModelWeights, ids: string, mask: string): string {
  let x = embed(g, w, 'encoder', ids, g.ints([0], []), dim(g, ids, 1)); // [B, S, d]
  const bias = paddingBias(g, mask); // [B, 1, 1, S]
  for (let i = 0; i < w.config.encoderLayers; i++) {
    g.within(`encoder/layers.${i}`, () => {
      const a = attentionNames('encoder', i, 'self_attn');
      x = residual(g, w, x, a.norm, (h) =>
        g.within('self_attn', () => {
          const q = projectHeads(g, w, h, a.q, queryScale(w));
          return attend(g, w, q, projectHeads(g, w, h, a.k), projectHeads(g, w, h, a.v), bias, a.out);
        }),
      );
      const f = feedForwardNames('encoder', i);
      x = residual(g, w, x, f.norm, (h) => positionwiseFeedForward(g, w, h, f));
    });
  }
  return finalNorm(g, w, x, 'encoder');
}
