// Running the serving graphs in tests, straight from their contract (model-spec serving-names.ts),
// for onnxruntime-node and onnxruntime-web alike: rows keep their caches in JS, are padded to
// KEY_ALIGNMENT and stepped in any grouping.
import { cacheName, ENCODER_INPUTS, KEY_ALIGNMENT, newSelfName, SERVING_DECODER_INPUTS, type TransformerConfig } from '@attend/model-spec';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { int64Rows, type Runtime } from './ort-session.ts';

export interface ServingRow {
  readonly source: readonly number[];
  readonly cross: Float32Array[]; // per layer, K then V: [source length, d]
  readonly self: Float32Array[]; // per layer, K then V: [position, d]
  position: number;
}

const align = (n: number) => Math.ceil(n / KEY_ALIGNMENT) * KEY_ALIGNMENT;
const kinds = (config: TransformerConfig) => Array.from({ length: 2 * config.decoderLayers }, (_, k) => ({ layer: k >> 1, tensor: k & 1 ? ('value' as const) : ('key' as const) }));

/** One encoder run over `sources`, padded to the longest (aligned): one row each. */
export async function encodeRows(ort: Runtime, encoder: InferenceSession, config: TransformerConfig, sources: readonly (readonly number[])[]): Promise<ServingRow[]> {
  const length = align(Math.max(...sources.map((s) => s.length)));
  const ids = sources.map((s) => [...s, ...new Array<number>(length - s.length).fill(config.padId)]);
  const mask = sources.map((s) => Array.from({ length }, (_, i) => (i < s.length ? 1 : 0)));
  const out = await encoder.run({ [ENCODER_INPUTS.inputIds]: int64Rows(ort, ids), [ENCODER_INPUTS.attentionMask]: int64Rows(ort, mask) });
  const d = config.dModel;
  return sources.map((source, b) => ({
    source,
    cross: kinds(config).map((k) => (out[cacheName(k.layer, 'cross', k.tensor)]!.data as Float32Array).slice(b * length * d, (b * length + source.length) * d)),
    self: kinds(config).map(() => new Float32Array(0)),
    position: 0,
  }));
}

/** One decoder run feeding tokens[i] to rows[i]; appends each row's new K/V; returns ln p [B, V]. */
export async function stepRows(ort: Runtime, decoder: InferenceSession, config: TransformerConfig, rows: readonly ServingRow[], tokens: readonly number[]): Promise<Float32Array[]> {
  const d = config.dModel;
  const cacheLength = align(Math.max(...rows.map((r) => r.position + 1)));
  const sourceLength = align(Math.max(...rows.map((r) => r.source.length)));
  const feeds: Record<string, Tensor> = {
    [SERVING_DECODER_INPUTS.inputIds]: int64Rows(ort, tokens.map((t) => [t])),
    [SERVING_DECODER_INPUTS.positionIds]: int64Rows(ort, rows.map((r) => [r.position])),
    [SERVING_DECODER_INPUTS.encoderAttentionMask]: int64Rows(ort, rows.map((r) => Array.from({ length: sourceLength }, (_, i) => (i < r.source.length ? 1 : 0)))),
  };
  kinds(config).forEach((k, i) => {
    const self = new Float32Array(rows.length * cacheLength * d);
    const cross = new Float32Array(rows.length * sourceLength * d);
    rows.forEach((r, b) => {
      self.set(r.self[i]!, b * cacheLength * d);
      cross.set(r.cross[i]!, b * sourceLength * d);
    });
    feeds[cacheName(k.layer, 'self', k.tensor)] = new ort.Tensor('float32', self, [rows.length, cacheLength, d]);
    feeds[cacheName(k.layer, 'cross', k.tensor)] = new ort.Tensor('float32', cross, [rows.length, sourceLength, d]);
  });
  const out = await decoder.run(feeds);
  const logits = out.log_probs!.data as Float32Array;
  const vocab = logits.length / rows.length;
  return rows.map((row, b) => {
    kinds(config).forEach((k, i) => {
      const fresh = (out[newSelfName(k.layer, k.tensor)]!.data as Float32Array).subarray(b * d, (b + 1) * d);
      const grown = new Float32Array((row.position + 1) * d);
      grown.set(row.self[i]!);
      grown.set(fresh, row.position * d);
      row.self[i] = grown;
    });
    row.position++;
    return logits.slice(b * vocab, (b + 1) * vocab);
  });
}
