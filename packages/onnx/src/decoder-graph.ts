// The decoder with its KV cache, merged as Optimum merges Marian decoders: one graph serves the first
// step and every later one. An `If` on use_cache_branch picks where the attention caches come from:
//   false (first step): self-attention past = empty, cross-attention K/V = W^K, W^V of the encoder output
//   true  (later steps): both from past_key_values, unchanged
// and one decoder body follows, so each step costs one decoder pass over the new tokens only.
// The branches read the projection weights from the outer scope: they are stored once.
import {
  AXES,
  DECODER_INPUTS,
  DECODER_OUTPUTS,
  attentionNames,
  cacheSlots,
  feedForwardNames,
  headDim,
  pastName,
  presentName,
  type TransformerConfig,
} from '@attend/model-spec';
import { causalBias, embed, outputLogits, paddingBias } from './embeddings.ts';
import { OPSET, PRODUCER, finalNorm, residual } from './encoder-graph.ts';
import { attr, GraphBuilder } from './graph-builder.ts';
import { ModelWeights } from './model-weights.ts';
import { attend, projectHeads, queryScale } from './multi-head-attention.ts';
import type { ModelProto } from './onnx-proto.ts';
import { positionwiseFeedForward } from './positionwise-feed-forward.ts';
import { dim } from './primitives.ts';

interface LayerCache {
  readonly selfKey: string;
  readonly selfValue: string;
  readonly crossKey: string;
  readonly crossValue: string;
}

export function buildDecoderGraph(config: TransformerConfig, weights: ReadonlyMap<string, Float32Array>): ModelProto {
  const g = new GraphBuilder('decoder_merged');
  const w = new ModelWeights(config, weights, g);
  const [h, dk] = [config.heads, headDim(config)];
  const ids = g.input(DECODER_INPUTS.inputIds, 'int64', [AXES.batch, AXES.decoderSequence]);
  const encoderMask = g.input(DECODER_INPUTS.encoderAttentionMask, 'int64', [AXES.batch, AXES.encoderSequence]);
  const encoderStates = g.input(DECODER_INPUTS.encoderHiddenStates, 'float', [AXES.batch, AXES.encoderSequence, config.dModel]);
  for (const s of cacheSlots(config.decoderLayers)) {
    const length = s.kind === 'decoder' ? AXES.pastDecoderSequence : AXES.encoderSequenceOut;
    g.input(pastName(s.layer, s.kind, s.tensor), 'float', [AXES.batch, h, length, dk]);
  }
  const useCache = g.input(DECODER_INPUTS.useCacheBranch, 'bool', [1]);

  // 1) the caches this step attends to, per layer in cacheSlots order (self K, self V, cross K, cross V):
  //    [B, h, past, d_k] and [B, h, S, d_k]. The first step slices whatever past was fed down to length
  //    0, so a dummy past (some runtimes feed length 1 rather than an empty tensor) is ignored.
  const reuse = g.subgraph('use_cache');
  const firstStep = g.subgraph('first_step');
  for (let i = 0; i < config.decoderLayers; i++) {
    for (const s of cacheSlots(config.decoderLayers).filter((slot) => slot.layer === i)) {
      reuse.output(reuse.op('Identity', [pastName(i, s.kind, s.tensor)]), 'float');
    }
    firstStep.within(`decoder/layers.${i}/encoder_attn`, () => {
      const a = attentionNames('decoder', i, 'encoder_attn');
      for (const tensor of ['key', 'value'] as const) {
        const empty = firstStep.op('Slice', [pastName(i, 'decoder', tensor), firstStep.ints([0]), firstStep.ints([0]), firstStep.ints([2])]);
        firstStep.output(empty, 'float'); // [B, h, 0, d_k]
      }
      firstStep.output(projectHeads(firstStep, w, encoderStates, a.k), 'float'); // [B, h, S, d_k]
      firstStep.output(projectHeads(firstStep, w, encoderStates, a.v), 'float');
    });
  }
  const chosen = g.opN('If', [useCache], 4 * config.decoderLayers, {
    then_branch: attr.graph(reuse.build()),
    else_branch: attr.graph(firstStep.build()),
  });
  const caches: LayerCache[] = Array.from({ length: config.decoderLayers }, (_, i) => {
    const [selfKey, selfValue, crossKey, crossValue] = chosen.slice(4 * i, 4 * i + 4) as [string, string, string, string];
    return { selfKey, selfValue, crossKey, crossValue };
  });

  // 2) embed the new tokens at positions past..past+T-1
  const first = caches[0] as LayerCache;
  const past = dim(g, first.selfKey, 2);
  let x = embed(g, w, 'decoder', ids, past, dim(g, ids, 1)); // [B, T, d]
  const selfBias = causalBias(g, past, dim(g, ids, 1)); // [T, past + T]
  const crossBias = paddingBias(g, encoderMask); // [B, 1, 1, S]

  // 3) N layers of masked self-attention, encoder-decoder attention and feed-forward (§3.1)
  caches.forEach((cache, i) => {
    g.within(`decoder/layers.${i}`, () => {
      const sa = attentionNames('decoder', i, 'self_attn');
      x = residual(g, w, x, sa.norm, (input) =>
        g.within('self_attn', () => {
          const q = projectHeads(g, w, input, sa.q, queryScale(w));
          const [key, value] = [presentName(i, 'decoder', 'key'), presentName(i, 'decoder', 'value')];
          g.opNamed('Concat', [cache.selfKey, projectHeads(g, w, input, sa.k)], [key], { axis: attr.int(2) }); // [B, h, past + T, d_k]
          g.opNamed('Concat', [cache.selfValue, projectHeads(g, w, input, sa.v)], [value], { axis: attr.int(2) });
          return attend(g, w, q, key, value, selfBias, sa.out);
        }),
      );
      const ca = attentionNames('decoder', i, 'encoder_attn');
      x = residual(g, w, x, ca.norm, (input) =>
        g.within('encoder_attn', () =>
          attend(g, w, projectHeads(g, w, input, ca.q, queryScale(w)), cache.crossKey, cache.crossValue, crossBias, ca.out),
        ),
      );
      g.opNamed('Identity', [cache.crossKey], [presentName(i, 'encoder', 'key')]);
      g.opNamed('Identity', [cache.crossValue], [presentName(i, 'encoder', 'value')]);
      const f = feedForwardNames('decoder', i);
      x = residual(g, w, x, f.norm, (input) => positionwiseFeedForward(g, w, input, f));
    });
  });
  outputLogits(g, w, finalNorm(g, w, x, 'decoder'), DECODER_OUTPUTS.logits);

  g.output(DECODER_OUTPUTS.logits, 'float', [AXES.batch, AXES.decoderSequence, config.vocabSize]);
  for (const s of cacheSlots(config.decoderLayers)) {
    const length = s.kind === 'decoder' ? AXES.pastDecoderSequenceOut : AXES.encoderSequenceOut;
    g.output(presentName(s.layer, s.kind, s.tensor), 'float', [AXES.batch, h, length, dk]);
  }
  return { graph: g.build(), opsets: { '': OPSET }, producer: PRODUCER };
}
