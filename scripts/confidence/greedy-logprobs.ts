// Greedy decoding that keeps each chosen token's log-probability, over the Seq2SeqModel seam of
// packages/decoding: y_t = argmax_y p(y | y_<t, x), log p(y_t) = logit - logsumexp(logits). Batched;
// a finished row is fed <pad> and ignored. For measuring confidence, not for serving.
import type { Seq2SeqModel, SpecialTokenIds } from '@attend/decoding';

export interface ScoredOutput {
  /** Generated ids, EOS excluded. */
  readonly ids: number[];
  /** One per generated token, EOS last (so one longer than `ids`). */
  readonly logprobs: number[];
}

export interface GreedyOptions {
  readonly special: SpecialTokenIds;
  /** Single tokens never generated (config.json's bad_words_ids of length 1: <pad>). */
  readonly banned: readonly number[];
  /** Most tokens per row, EOS included: floor(2 * source tokens + 10), as packages/decoding's default. */
  readonly limit: (sourceTokens: number) => number;
}

export async function greedyWithLogprobs<M, C>(model: Seq2SeqModel<M, C>, sources: readonly (readonly number[])[], options: GreedyOptions): Promise<ScoredOutput[]> {
  const { eos, pad, decoderStart } = options.special;
  const outputs: ScoredOutput[] = sources.map(() => ({ ids: [], logprobs: [] }));
  const finished = sources.map(() => false);
  const memory = await model.encode(sources);
  let cache: C | null = null;
  try {
    const tokens = sources.map(() => decoderStart);
    while (finished.includes(false)) {
      const step = await model.step(memory, tokens, cache);
      cache = step.cache;
      const vocab = step.logits.length / sources.length;
      for (const [row, output] of outputs.entries()) {
        if (finished[row]) {
          tokens[row] = pad;
          continue;
        }
        const logits = step.logits.subarray(row * vocab, (row + 1) * vocab);
        const atLimit = output.ids.length + 1 >= options.limit(sources[row]!.length);
        const id = atLimit ? eos : argmax(logits, options.banned);
        output.logprobs.push(logits[id]! - logSumExp(logits));
        tokens[row] = id;
        if (id === eos) finished[row] = true;
        else output.ids.push(id);
      }
    }
  } finally {
    model.dispose(memory, cache);
  }
  return outputs;
}

function argmax(scores: Float32Array, banned: readonly number[]): number {
  let best = -1;
  for (let id = 0; id < scores.length; id++) if ((best < 0 || scores[id]! > scores[best]!) && !banned.includes(id)) best = id;
  return best;
}

/** log sum_j exp(x_j), in float64 from the largest term. */
export function logSumExp(scores: Float32Array): number {
  let max = -Infinity;
  for (const x of scores) if (x > max) max = x;
  let sum = 0;
  for (const x of scores) sum += Math.exp(x - max);
  return max + Math.log(sum);
}
