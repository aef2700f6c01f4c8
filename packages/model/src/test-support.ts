// Shared by the tests of this package: a tiny config and small tensor helpers.
import { torch, type Tensor } from '@attend/torch';
import { resolveConfig, type TransformerConfig } from '@attend/model-spec';

/** Small enough for finite differences: vocab 13, d 8, 2 heads, d_ff 16, 1 + 1 layers, no dropout. */
export const MICRO: TransformerConfig = resolveConfig({
  vocabSize: 13,
  dModel: 8,
  heads: 2,
  dFF: 16,
  encoderLayers: 1,
  decoderLayers: 1,
  maxPositions: 16,
  dropout: 0,
});

/** int64 [rows, cols] from nested arrays. */
export function ids(rows: number[][]): Tensor {
  const flat = rows.flat();
  return torch.tensor(BigInt64Array.from(flat.map(BigInt)), [rows.length, rows[0]?.length ?? 0], 'int64');
}

/** Max |a - b| over two equally shaped tensors. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.toArray();
  const y = b.toArray();
  if (x.length !== y.length) throw new Error(`sizes differ: ${x.length} vs ${y.length}`);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - (y[i] as number))), 0);
}
