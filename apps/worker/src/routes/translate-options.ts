// What a request's `options` ask of decoding, resolved against the model that serves it: the beam
// (`alternatives` imply beam search), the glossary (sent, or uploaded and read from R2), confidence.
import { type GlossaryEntry, LIMITS, type TranslateOptions } from '@attend/protocol';
import { Glossary } from '../glossaries/glossary.ts';
import type { GlossaryStore, Pair } from '../glossaries/glossary-store.ts';
import type { GenerateOptions } from '../inference/translator.ts';

export interface DecodeRequest {
  readonly generate: GenerateOptions;
  /** Answer `words` on each translation (and `done`). */
  readonly confidence: boolean;
  /** Answer `alternatives`: at most this many distinct translations per text. */
  readonly alternatives: number | undefined;
  readonly glossary: Glossary | undefined;
}

/** The beam: as asked, else max(LIMITS.alternativesBeamSize, alternatives) for alternatives, else greedy. */
export function beamSize(options: TranslateOptions | undefined): number {
  if (options?.beam_size !== undefined) return options.beam_size;
  return options?.alternatives === undefined ? 1 : Math.max(LIMITS.alternativesBeamSize, options.alternatives);
}

/** Resolves `options` for the pair of the model chosen; a named glossary missing for it is a 404. */
export async function decodeRequest(options: TranslateOptions | undefined, pair: Pair, glossaries: GlossaryStore, signal: AbortSignal): Promise<DecodeRequest> {
  return {
    generate: {
      numBeams: beamSize(options),
      maxTokens: options?.max_tokens ?? LIMITS.defaultOutputTokens,
      signal,
      ...(options?.alternatives === undefined ? {} : { numReturnSequences: options.alternatives }),
    },
    confidence: options?.confidence ?? false,
    alternatives: options?.alternatives,
    glossary: options?.glossary_id !== undefined ? await glossaries.get(pair, options.glossary_id) : inlineGlossary(options?.glossary),
  };
}

function inlineGlossary(entries: readonly GlossaryEntry[] | undefined): Glossary | undefined {
  return entries === undefined || entries.length === 0 ? undefined : new Glossary(entries);
}
