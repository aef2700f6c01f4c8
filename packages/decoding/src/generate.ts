// Entry points: one stream of events for greedy and beam search alike, and its collected result.
import { beamSearch } from './beam-search.ts';
import { greedySearch } from './greedy-search.ts';
import { resolveOptions, type GenerationOptions } from './options.ts';
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
  const resolved = resolveOptions(options);
  if (sources.length === 0) throw new RangeError('sources must hold at least one row');
  for (const [index, source] of sources.entries()) {
    if (source.length === 0) throw new RangeError(`sources[${index}] is empty: encode the text with its EOS`);
  }
  return resolved.numBeams === 1 ? greedySearch(model, sources, resolved) : beamSearch(model, sources, resolved);
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
