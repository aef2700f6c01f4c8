// Decodes many sentences as the worker does: each sentence its own generation in a StepScheduler over
// a model's serving graphs, every row of every sentence stepped by one decoder run, at most `maxRows`
// rows at once. So a figure measured with it is the API's own output (batched == alone, bit for bit).
import { type GenerationEvent, type GenerationOptions, RowBudget, type RowDecoder, StepScheduler, type Translation } from '@attend/decoding';

/**
 * Translations of `sources` (ids ending with EOS), in input order; `onEvent` sees every event of source
 * i. Aborting `options.signal` cancels them all before the next step and throws its reason.
 */
export async function decodeScheduled<Row>(
  rows: RowDecoder<Row>,
  sources: readonly (readonly number[])[],
  options: GenerationOptions,
  maxRows: number,
  onEvent: (source: number, event: GenerationEvent) => void = () => {},
): Promise<Translation[]> {
  // Bytes are not what limits a batch here: every cache lives in Node's heap.
  const scheduler = new StepScheduler(rows, new RowBudget({ maxRows, maxCacheBytes: Number.POSITIVE_INFINITY }), 1);
  const generations = sources.map((source) => scheduler.submit([source], options, {}));
  const translations: Translation[] = new Array(sources.length);
  let pending = sources.map((_, i) => i); // sources without their translation yet: only these are drained
  while (pending.length > 0) {
    if (options.signal?.aborted) {
      for (const generation of generations) generation.cancel();
      options.signal.throwIfAborted();
    }
    await scheduler.tick();
    for (const i of pending) {
      const generation = generations[i]!;
      if (generation.error) throw generation.error.reason;
      for (const event of generation.drain()) {
        onEvent(i, event);
        if (event.type === 'done') translations[i] = event.translation;
      }
    }
    pending = pending.filter((i) => translations[i] === undefined);
  }
  return translations;
}
