// Token-id examples -> the padded int64 tensors of one training batch. Targets end with EOS; the decoder
// input is the target shifted right behind the decoder start token (teacher forcing, Vaswani et al. §3):
//   tgtIn  = [start, y_1, ..., y_{n-1}]   tgtOut = [y_1, ..., y_n]   (y_n = EOS)
// Padding is padId on every side, so the model derives the source mask as srcIds == pad and the loss
// ignores padded target positions.
import { torch } from '@attend/torch';
import type { Batch } from '@attend/model';
import type { Example } from './token-batches.ts';

export interface SpecialIds {
  readonly padId: number;
  readonly decoderStartId: number;
}

/** rows of ids -> int64 [rows, longest], right-padded. */
export function padRows(rows: readonly (readonly number[])[], padId: number) {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const data = new BigInt64Array(rows.length * width).fill(BigInt(padId));
  rows.forEach((row, b) => row.forEach((id, t) => (data[b * width + t] = BigInt(id))));
  return torch.tensor(data, [rows.length, width], 'int64'); // [B, width]
}

export function toBatch(examples: readonly Example[], ids: SpecialIds): Batch {
  return {
    srcIds: padRows(
      examples.map((e) => e.source),
      ids.padId,
    ),
    tgtInIds: padRows(
      examples.map((e) => [ids.decoderStartId, ...e.target.slice(0, -1)]),
      ids.padId,
    ),
    tgtOutIds: padRows(
      examples.map((e) => e.target),
      ids.padId,
    ),
  };
}

/** Non-pad target tokens: the count the loss averages over. */
export function targetTokens(examples: readonly Example[]): number {
  return examples.reduce((n, e) => n + e.target.length, 0);
}
