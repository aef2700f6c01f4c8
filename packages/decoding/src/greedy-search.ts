// Greedy decoding of one source, streamed: y_t = argmax_y p(y | y_<t, x), one token event per step.
import { bannedTokens, lengthLimit, type ResolvedOptions } from './options.ts';
import { argmax, type LogProbs } from './scores.ts';
import type { SearchStep, SourceSearch } from './search.ts';
import { TextStreamer } from './text-streamer.ts';
import type { Translation } from './translation.ts';

export class GreedySearch implements SourceSearch {
  readonly #index: number;
  readonly #sourceTokens: number;
  readonly #limit: number;
  readonly #options: ResolvedOptions;
  readonly #streamer: TextStreamer;
  readonly #ids: number[] = [];
  #logProb = 0;
  tokens: readonly number[];

  constructor(source: readonly number[], index: number, options: ResolvedOptions) {
    this.#index = index;
    this.#sourceTokens = source.length;
    this.#limit = lengthLimit(options, source.length);
    this.#options = options;
    this.#streamer = new TextStreamer(options.decode);
    this.tokens = [options.specialTokens.decoderStart];
  }

  get footprint(): { rows: number; cacheTokens: number } {
    return { rows: 1, cacheTokens: this.#sourceTokens + this.#limit };
  }

  advance(logProbs: LogProbs): SearchStep {
    const { eos } = this.#options.specialTokens;
    const index = this.#index;
    const atLimit = this.#ids.length + 1 >= this.#limit;
    const id = atLimit ? eos : argmax(logProbs, bannedTokens(this.#options, this.#ids));
    const logProb = logProbs[id]!;
    this.#logProb += logProb;
    this.tokens = [id];
    if (id !== eos) {
      this.#ids.push(id);
      return { events: [{ type: 'token', index, tokenId: id, delta: this.#streamer.push(id), logProb }], parents: [0] };
    }
    const delta = this.#streamer.finish();
    const translation: Translation = {
      ids: this.#ids,
      text: this.#streamer.text,
      finishReason: atLimit ? 'length' : 'eos',
      usage: { inputTokens: this.#sourceTokens, outputTokens: this.#ids.length + 1 },
      logProb: this.#logProb,
    };
    return { events: [{ type: 'token', index, tokenId: eos, delta, logProb }, { type: 'done', index, translation }], parents: [] };
  }
}
