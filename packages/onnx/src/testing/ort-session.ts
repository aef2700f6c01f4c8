// Running the exported graphs in tests, for onnxruntime-node and onnxruntime-web alike (both expose
// onnxruntime-common's API; the module is passed in so tensors come from the runtime that runs them).
import {
  DECODER_INPUTS,
  DECODER_OUTPUTS,
  ENCODER_INPUTS,
  ENCODER_OUTPUTS,
  type TransformerConfig,
  cacheSlots,
  headDim,
  pastName,
  presentName,
} from '@attend/model-spec';
import type { InferenceSession, Tensor } from 'onnxruntime-node';

export interface Runtime {
  readonly Tensor: typeof Tensor;
}

export const int64Rows = (ort: Runtime, rows: readonly (readonly number[])[]): Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, (rows[0] as readonly number[]).length]);

export async function encode(ort: Runtime, encoder: InferenceSession, ids: number[][], mask: number[][]): Promise<Tensor> {
  const out = await encoder.run({ [ENCODER_INPUTS.inputIds]: int64Rows(ort, ids), [ENCODER_INPUTS.attentionMask]: int64Rows(ort, mask) });
  return out[ENCODER_OUTPUTS.lastHiddenState] as Tensor;
}

/** One decoder call: past undefined means the first step (empty caches, use_cache_branch false). */
export async function decodeStep(
  ort: Runtime,
  decoder: InferenceSession,
  config: TransformerConfig,
  step: { ids: number[][]; mask: number[][]; states: Tensor; past?: Record<string, Tensor> },
): Promise<{ logits: Tensor; present: Record<string, Tensor> }> {
  const batch = step.ids.length;
  const feeds: Record<string, Tensor> = {
    [DECODER_INPUTS.inputIds]: int64Rows(ort, step.ids),
    [DECODER_INPUTS.encoderAttentionMask]: int64Rows(ort, step.mask),
    [DECODER_INPUTS.encoderHiddenStates]: step.states,
    [DECODER_INPUTS.useCacheBranch]: new ort.Tensor('bool', [step.past !== undefined], [1]),
  };
  const slots = cacheSlots(config.decoderLayers);
  for (const s of slots) {
    const empty = new ort.Tensor('float32', new Float32Array(0), [batch, config.heads, 0, headDim(config)]);
    feeds[pastName(s.layer, s.kind, s.tensor)] = step.past?.[presentName(s.layer, s.kind, s.tensor)] ?? empty;
  }
  const out = await decoder.run(feeds);
  const present = Object.fromEntries(slots.map((s) => presentName(s.layer, s.kind, s.tensor)).map((n) => [n, out[n] as Tensor]));
  return { logits: out[DECODER_OUTPUTS.logits] as Tensor, present };
}

/** Row `t` of batch item `b` of logits [B, T, V]. */
export function logitsAt(logits: { readonly dims: readonly number[]; readonly data: unknown }, b: number, t: number): Float32Array {
  const [, T, V] = logits.dims as [number, number, number];
  return (logits.data as Float32Array).slice((b * T + t) * V, (b * T + t + 1) * V);
}

/** max |a - b| / max |b|: the relative error the parity tests bound. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let [diff, scale] = [0, 0];
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

/**
 * Greedy decoding with the KV cache, one token per decoder call, with the rules HF generation applies
 * from our configs: <pad> never generated (bad_words_ids), </s> forced at max_length - 1, stop at </s>.
 */
export async function greedy(
  ort: Runtime,
  sessions: { encoder: InferenceSession; decoder: InferenceSession },
  config: TransformerConfig,
  source: number[],
  maxLength: number,
): Promise<number[]> {
  const mask = [source.map(() => 1)];
  const states = await encode(ort, sessions.encoder, [source], mask);
  const out = [config.decoderStartId];
  let past: Record<string, Tensor> | undefined;
  while (out.length < maxLength && out[out.length - 1] !== config.eosId) {
    const step = await decodeStep(ort, sessions.decoder, config, { ids: [[out[out.length - 1] as number]], mask, states, past });
    past = step.present;
    const row = logitsAt(step.logits, 0, 0);
    row[config.padId] = -Infinity;
    out.push(out.length === maxLength - 1 ? config.eosId : argmax(row));
  }
  return out;
}

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}
