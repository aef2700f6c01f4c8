// Batched greedy decoding on the libtorch model, for validation: y_t = argmax_y p(y | y_<t, x).
// Incremental with the decoder's KV cache (one new token per row and step). A row that has produced
// EOS keeps being fed <pad> so the batch keeps its shape; its later outputs are ignored. <pad> is
// never generated (config.json's bad_words_ids [[pad]]).
import { torch } from '@attend/torch';
import type { Transformer } from '@attend/model';
import { padRows } from './batch-tensors.ts';

export interface GreedyOptions {
  readonly batchSize?: number; // sentences decoded together
  readonly maxLengthRatio?: number; // a row stops at ratio * sourceTokens + offset tokens (EOS included)
  readonly maxLengthOffset?: number;
}

const DEFAULTS = { batchSize: 32, maxLengthRatio: 2, maxLengthOffset: 10 }; // as @attend/decoding's defaults

/** Source rows (ids ending with EOS) -> generated ids, EOS excluded, in input order. */
export function greedyDecode(model: Transformer, sources: readonly (readonly number[])[], options: GreedyOptions = {}): number[][] {
  const { batchSize, maxLengthRatio, maxLengthOffset } = { ...DEFAULTS, ...options };
  const wasTraining = model.training;
  model.train(false);
  try {
    // Batches of similar source lengths waste fewer padded positions; results go back in input order.
    const order = sources.map((_, i) => i).sort((a, b) => sources[a]!.length - sources[b]!.length);
    const out: number[][] = new Array(sources.length);
    for (let start = 0; start < order.length; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      const rows = indices.map((i) => sources[i]!);
      const limits = rows.map((r) => Math.min(model.config.maxPositions, Math.floor(maxLengthRatio * r.length + maxLengthOffset)));
      torch.noGrad(() => decodeBatch(model, rows, limits)).forEach((ids, k) => (out[indices[k]!] = ids));
    }
    return out;
  } finally {
    model.train(wasTraining);
  }
}

function decodeBatch(model: Transformer, rows: readonly (readonly number[])[], limits: readonly number[]): number[][] {
  const { padId, eosId, decoderStartId, vocabSize } = model.config;
  const B = rows.length;
  const generated: number[][] = rows.map(() => []);
  const finished = rows.map(() => false);
  const cache = model.newDecoderCache();
  try {
    torch.tidy(() => {
      const srcIds = padRows(rows, padId); // [B, S]
      const srcPadMask = srcIds.eq(padId); // [B, S]
      const memory = model.encode(srcIds, srcPadMask); // [B, S, d]
      const banPad = new Float32Array(vocabSize);
      banPad[padId] = -Infinity;
      const ban = torch.tensor(banPad, [vocabSize]); // [V], broadcast over rows
      let tokens = rows.map(() => decoderStartId);
      for (let t = 0; finished.some((f) => !f); t++) {
        const next = torch.tidy(() => {
          const input = torch.tensor(BigInt64Array.from(tokens.map(BigInt)), [B, 1], 'int64'); // [B, 1]
          const logits = model.decode(input, memory, srcPadMask, { cache }); // [B, 1, V]
          return logits.view([B, vocabSize]).add(ban).argmax(-1).toArray(); // [B]
        });
        tokens = next.map((id, b) => {
          if (finished[b]) return padId;
          // The last position a row may fill is its EOS.
          const chosen = t + 1 >= (limits[b] as number) ? eosId : id;
          if (chosen === eosId) finished[b] = true;
          else generated[b]!.push(chosen);
          return chosen;
        });
      }
    });
  } finally {
    cache.dispose();
  }
  return generated;
}
