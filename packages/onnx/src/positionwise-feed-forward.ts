// FFN(x) = act(xW1 + b1)W2 + b2, act = ReLU (Vaswani et al. 2017, §3.3) or swish x·σ(x) (OPUS-MT)
import type { TransformerConfig } from '@attend/model-spec';
import type { GraphBuilder } from './graph-builder.ts';
import type { ModelWeights } from './model-weights.ts';
import { linear } from './primitives.ts';

export function positionwiseFeedForward(g: GraphBuilder, w: ModelWeights, x: string, names: { fc1: string; fc2: string }): string {
  return g.within('ffn', () => {
    const hidden = linear(g, w, x, names.fc1); // [B, T, d_ff]
    return linear(g, w, activation(g, w.config.activation, hidden), names.fc2); // [B, T, d]
  });
}

function activation(g: GraphBuilder, kind: TransformerConfig['activation'], x: string): string {
  return kind === 'relu' ? g.op('Relu', [x]) : g.op('Mul', [x, g.op('Sigmoid', [x])]);
}
