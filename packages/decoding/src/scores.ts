// Arithmetic on one row of next-token scores.

/** ln p of every next token, row-major [rows, vocab]: what a search reads (float32 from a graph that computes it). */
export type LogProbs = Float32Array | Float64Array;

/** Index of the largest score, skipping `banned`; ties go to the smaller id. */
export function argmax(scores: LogProbs, banned: readonly number[]): number {
  let best = -1;
  for (let id = 0; id < scores.length; id++) {
    if ((best < 0 || scores[id]! > scores[best]!) && !banned.includes(id)) best = id;
  }
  if (best < 0) throw new Error('every token is banned: check badWordsIds');
  return best;
}

/** log softmax(x)_i = x_i - max - log(sum_j exp(x_j - max)), in float64 to keep sums of many steps exact. */
export function logSoftmax(scores: Float32Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += Math.exp(scores[i]! - max);
  const logSum = max + Math.log(sum);
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i]! - logSum;
  return out;
}

/** Rows of logits [rows, vocab] -> their log softmax, row by row. */
export function logSoftmaxRows(logits: Float32Array, rows: number): Float64Array {
  const vocab = logits.length / rows;
  const out = new Float64Array(logits.length);
  for (let row = 0; row < rows; row++) out.set(logSoftmax(logits.subarray(row * vocab, (row + 1) * vocab)), row * vocab);
  return out;
}

/** Ids of the k largest finite values, largest first (ties: smaller id first). */
export function topK(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let id = 0; id < values.length; id++) {
    const value = values[id]!;
    if (value === -Infinity) continue;
    if (top.length === k && value <= values[top[k - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && values[top[at - 1]!]! < value) at--;
    top.splice(at, 0, id);
    if (top.length > k) top.pop();
  }
  return top;
}
