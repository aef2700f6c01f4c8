// Greedy translations as the API decodes them (the model folder's bad words and repetition guard; the
// serving graphs through the worker's scheduler when the folder has them), keeping the log-probability
// the model gave each chosen token: what the API's confidence is made of.
import { generateStream, type GenerationEvent } from '@attend/decoding';
import { decodeScheduled } from '../lib/scheduled-decoding.ts';
import type { Translator } from '../translate.ts';

export interface ScoredOutput {
  /** Generated ids, EOS excluded. */
  readonly ids: number[];
  /** One per generated token, EOS last (so one longer than `ids`). */
  readonly logprobs: number[];
}

export async function scoredOutputs(
  translator: Pick<Translator, 'model' | 'serving' | 'config' | 'badWordsIds' | 'noRepeatNgramSize'>,
  sources: readonly (readonly number[])[],
  batch: number,
): Promise<ScoredOutput[]> {
  const { config } = translator;
  const outputs: ScoredOutput[] = sources.map(() => ({ ids: [], logprobs: [] }));
  const keep = (source: number, event: GenerationEvent) => {
    if (event.type !== 'token') return;
    outputs[source]!.logprobs.push(event.logProb);
    if (event.tokenId !== config.eosId) outputs[source]!.ids.push(event.tokenId);
  };
  const options = {
    decode: () => '', // only ids and log-probabilities are kept
    badWordsIds: translator.badWordsIds,
    noRepeatNgramSize: translator.noRepeatNgramSize,
    specialTokens: { pad: config.padId, eos: config.eosId, decoderStart: config.decoderStartId },
  };
  if (translator.serving) {
    await decodeScheduled(translator.serving, sources, options, batch, keep);
    return outputs;
  }
  for (let start = 0; start < sources.length; start += batch) {
    for await (const event of generateStream(translator.model, sources.slice(start, start + batch), options)) keep(start + event.index, event);
  }
  return outputs;
}
