// Entry points over a Seq2SeqModel: a fixed batch of sources decoded together (one stream of events
// for greedy and beam search alike), and its collected result. The worker's scheduler steps rows of
// many requests instead (step-scheduler.ts); both run the same per-source searches (search.ts).
import { resolveOptions, type GenerationOptions, type ResolvedOptions } from './options.ts';
import { logSoftmaxRows } from './scores.ts';
import { type SourceSearch, startSearch } from './search.ts';
import type { Seq2SeqModel } from './seq2seq-model.ts';
import type { GenerationEvent, GenerationResult, Translation } from './translation.ts';

/**
 * Translates source rows (token ids, each ending with EOS). Greedy (numBeams 1) yields every token as
 * it is decoded; beam search yields a row's tokens once its search is over. Breaking out of the loop
 * or aborting `options.signal` stops the model calls and frees the model's tensors.
 */
export function generateStream<Memory, Cache>(
  model: Seq2SeqModel<Memory, Cache>,
  sources: readonly (readonly number[])[],
  options: GenerationOptions,
): AsyncGenerator<GenerationEvent, void, undefined> {
  const resolved = checkedOptions(sources, options);
  return decodeBatch(model, sources, resolved);
}

/** Resolves the options and checks the sources: at least one, none empty. */
export function checkedOptions(sources: readonly (readonly number[])[], options: GenerationOptions): ResolvedOptions {
  const resolved = resolveOptions(options);
  if (sources.length === 0) throw new RangeError('sources must hold at least one row');
  for (const [index, source] of sources.entries()) {
    if (source.length === 0) throw new RangeError(`sources[${index}] is empty: encode the text with its EOS`);
  }
  return resolved;
}

/**
 * Each step feeds every live search's rows in one batch, then keeps the rows the searches continue
 * (selectRows: beams that survive, minus the sources that are done).
 */
async function* decodeBatch<Memory, Cache>(
  model: Seq2SeqModel<Memory, Cache>,
  sources: readonly (readonly number[])[],
  options: ResolvedOptions,
): AsyncGenerator<GenerationEvent, void, undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  let live: SourceSearch[] = sources.map((source, index) => startSearch(source, index, options));
  let memory: Memory = await model.encode(sources);
  let cache: Cache | null = null;
  try {
    while (live.length > 0) {
      signal?.throwIfAborted();
      const tokens = live.flatMap((search) => search.tokens);
      const { logits, cache: next } = await model.step(memory, tokens, cache);
      cache = next;
      signal?.throwIfAborted();
      const logProbs = logSoftmaxRows(logits, tokens.length);
      const vocab = logProbs.length / tokens.length;
      const kept: number[] = [];
      const continuing: SourceSearch[] = [];
      let row = 0;
      for (const search of live) {
        const rows = search.tokens.length;
        const { events, parents } = search.advance(logProbs.subarray(row * vocab, (row + rows) * vocab));
        yield* events;
        if (parents.length > 0) continuing.push(search);
        kept.push(...parents.map((parent) => row + parent));
        row += rows;
      }
      live = continuing;
      if (live.length > 0) ({ memory, cache } = await model.selectRows(memory, cache, kept));
    }
  } finally {
    model.dispose(memory, cache);
  }
}

/** Runs generateStream to the end and collects one Translation per row, in input order. */
export async function generate<Memory, Cache>(
  model: Seq2SeqModel<Memory, Cache>,
  sources: readonly (readonly number[])[],
  options: GenerationOptions,
): Promise<GenerationResult> {
  const translations: Translation[] = new Array(sources.length);
  for await (const event of generateStream(model, sources, options)) {
    if (event.type === 'done') translations[event.index] = event.translation;
  }
  const usage = { inputTokens: 0, outputTokens: 0 };
  for (const translation of translations) {
    usage.inputTokens += translation.usage.inputTokens;
    usage.outputTokens += translation.usage.outputTokens;
  }
  return { translations, usage };
}
