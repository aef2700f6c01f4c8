// An independent forward pass of HF MarianMTModel in plain loops, for tests only: it reads the Marian
// state dict directly (no transposes, no ONNX), one sentence at a time, without any cache.
import {
  FINAL_LOGITS_BIAS,
  SHARED_EMBEDDING,
  type Side,
  type TransformerConfig,
  attentionNames,
  feedForwardNames,
  finalNormName,
  positionsName,
} from '@attend/model-spec';

type Rows = Float32Array[]; // one Float32Array per position

export function referenceLogits(
  config: TransformerConfig,
  weights: ReadonlyMap<string, Float32Array>,
  source: readonly number[],
  sourceMask: readonly number[],
  target: readonly number[],
): Rows {
  const d = config.dModel;
  const get = (name: string) => {
    const t = weights.get(name);
    if (!t) throw new Error(`missing ${name}`);
    return t;
  };
  const linear = (x: Rows, prefix: string): Rows => {
    const [w, b] = [get(`${prefix}.weight`), get(`${prefix}.bias`)];
    const inDim = (x[0] as Float32Array).length;
    const outDim = b.length;
    return x.map((row) => {
      const y = new Float32Array(outDim);
      for (let o = 0; o < outDim; o++) {
        let s = b[o] as number;
        for (let i = 0; i < inDim; i++) s += (w[o * inDim + i] as number) * (row[i] as number);
        y[o] = s;
      }
      return y;
    });
  };
  const layerNorm = (x: Rows, prefix: string): Rows => {
    const [g, b] = [get(`${prefix}.weight`), get(`${prefix}.bias`)];
    return x.map((row) => {
      const mean = row.reduce((a, v) => a + v, 0) / d;
      const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / d;
      return row.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * (g[i] as number) + (b[i] as number));
    });
  };
  const add = (x: Rows, y: Rows): Rows => x.map((row, t) => row.map((v, i) => v + ((y[t] as Float32Array)[i] as number)));
  const attention = (x: Rows, memory: Rows, prefix: ReturnType<typeof attentionNames>, visible: (t: number, s: number) => boolean): Rows => {
    const dk = d / config.heads;
    const q = linear(x, prefix.q).map((row) => row.map((v) => v * dk ** -0.5));
    const [k, v] = [linear(memory, prefix.k), linear(memory, prefix.v)];
    const context = x.map(() => new Float32Array(d));
    for (let head = 0; head < config.heads; head++) {
      const off = head * dk;
      q.forEach((qRow, t) => {
        const scores = k.map((kRow, s) => {
          if (!visible(t, s)) return -Infinity;
          let dot = 0;
          for (let i = 0; i < dk; i++) dot += (qRow[off + i] as number) * (kRow[off + i] as number);
          return dot;
        });
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const total = exps.reduce((a, b) => a + b, 0);
        const out = context[t] as Float32Array;
        exps.forEach((e, s) => {
          for (let i = 0; i < dk; i++) out[off + i] = (out[off + i] as number) + (e / total) * ((v[s] as Float32Array)[off + i] as number);
        });
      });
    }
    return linear(context, prefix.out);
  };
  const activation = (v: number) => (config.activation === 'relu' ? Math.max(0, v) : v / (1 + Math.exp(-v)));
  const feedForward = (x: Rows, n: ReturnType<typeof feedForwardNames>) => linear(linear(x, n.fc1).map((r) => r.map(activation)), n.fc2);
  const sublayer = (x: Rows, norm: string, f: (h: Rows) => Rows): Rows =>
    config.norm === 'pre' ? add(x, f(layerNorm(x, norm))) : layerNorm(add(x, f(x)), norm);
  const embed = (ids: readonly number[], side: Side): Rows => {
    const [table, positions] = [get(SHARED_EMBEDDING), get(positionsName(side))];
    const scale = config.scaleEmbedding ? Math.sqrt(d) : 1;
    return ids.map((id, p) => Float32Array.from({ length: d }, (_, i) => (table[id * d + i] as number) * scale + (positions[p * d + i] as number)));
  };
  const finish = (x: Rows, side: Side) => (config.norm === 'pre' ? layerNorm(x, finalNormName(side)) : x);

  let memory = embed(source, 'encoder');
  for (let i = 0; i < config.encoderLayers; i++) {
    const a = attentionNames('encoder', i, 'self_attn');
    memory = sublayer(memory, a.norm, (h) => attention(h, h, a, (_, s) => sourceMask[s] === 1));
    const f = feedForwardNames('encoder', i);
    memory = sublayer(memory, f.norm, (h) => feedForward(h, f));
  }
  memory = finish(memory, 'encoder');

  let x = embed(target, 'decoder');
  for (let i = 0; i < config.decoderLayers; i++) {
    const sa = attentionNames('decoder', i, 'self_attn');
    x = sublayer(x, sa.norm, (h) => attention(h, h, sa, (t, s) => s <= t));
    const ca = attentionNames('decoder', i, 'encoder_attn');
    x = sublayer(x, ca.norm, (h) => attention(h, memory, ca, (_, s) => sourceMask[s] === 1));
    const f = feedForwardNames('decoder', i);
    x = sublayer(x, f.norm, (h) => feedForward(h, f));
  }
  x = finish(x, 'decoder');
  const [table, bias] = [get(SHARED_EMBEDDING), get(FINAL_LOGITS_BIAS)];
  return x.map((row) =>
    Float32Array.from({ length: config.vocabSize }, (_, token) => {
      let s = bias[token] as number;
      for (let i = 0; i < d; i++) s += (table[token * d + i] as number) * (row[i] as number);
      return s;
    }),
  );
}
