// RowDecoder over the Hugging Face graphs (DESIGN.md's tensor contract), for model folders without
// serving graphs (an OPUS-MT export): the merged decoder takes one past length for its whole batch, so
// rows at different positions cannot share a run, and each row runs alone, as every sentence did
// before the scheduler. Forks (beams) share the encoder output and copy the KV cache.
import {
  createMergedGraphs,
  disposeState,
  gatherRows,
  type MergedStep,
  type OnnxCache,
  type OnnxMemory,
  type OnnxSeq2SeqOptions,
  type TensorLike,
} from './onnx-seq2seq.ts';
import type { RowDecoder } from './row-decoder.ts';
import { logSoftmaxRows } from './scores.ts';

export interface OnnxRow<T> {
  readonly memory: { readonly value: OnnxMemory<T>; users: number };
  cache: OnnxCache<T> | null;
}

export function createOnnxRowDecoder<T extends TensorLike>(options: OnnxSeq2SeqOptions<T>): RowDecoder<OnnxRow<T>> {
  const graphs = createMergedGraphs(options);
  const noCache = new Map<string, T>();

  function release(row: OnnxRow<T>): void {
    for (const tensor of row.cache?.values() ?? []) tensor.dispose?.();
    if (--row.memory.users === 0) disposeState(row.memory.value, null);
  }

  async function encode(sources: readonly (readonly number[])[]): Promise<OnnxRow<T>[]> {
    const rows: OnnxRow<T>[] = [];
    try {
      for (const source of sources) rows.push({ memory: { value: await graphs.encode([source]), users: 1 }, cache: null });
    } catch (error) {
      for (const row of rows) release(row);
      throw error;
    }
    return rows;
  }

  /** 1) run every row  2) only then let the rows take their new caches, so that a failed step changes no row. */
  async function step(rows: readonly OnnxRow<T>[], tokens: readonly number[]): Promise<Float64Array> {
    const steps: MergedStep<T>[] = [];
    try {
      for (const [i, row] of rows.entries()) steps.push(await graphs.run(row.memory.value, [tokens[i]!], row.cache));
    } catch (error) {
      steps.forEach((made, i) => freeNew(made.cache, rows[i]!.cache ?? noCache));
      throw error;
    }
    const vocab = steps[0]?.logits.length ?? 0;
    const logits = new Float32Array(rows.length * vocab);
    steps.forEach((made, i) => {
      logits.set(made.logits, i * vocab);
      for (const tensor of made.replaced) tensor.dispose?.();
      rows[i]!.cache = made.cache;
    });
    return logSoftmaxRows(logits, rows.length);
  }

  function fork(row: OnnxRow<T>): OnnxRow<T> {
    row.memory.users++;
    const cache = row.cache && new Map([...row.cache].map(([name, tensor]) => [name, gatherRows(tensor, [0], options.makeTensor)] as const));
    return { memory: row.memory, cache };
  }

  return { encode, step, fork, release };
}

/** Frees the tensors of `made` that `old` does not hold (a run reuses the cross-attention K/V). */
function freeNew<T extends TensorLike>(made: OnnxCache<T>, old: OnnxCache<T>): void {
  const kept = new Set(old.values());
  for (const tensor of made.values()) if (!kept.has(tensor)) tensor.dispose?.();
}
