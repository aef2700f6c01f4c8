// A Translator without a model, for tests of what is built on one: each source word is one token, and
// generation emits `tokens` deltas (or never ends), each after a timer tick, as a decoder step would.
import type { GenerationEvent } from '@attend/decoding';
import { type Manifest, resolveConfig } from '@attend/model-spec';
import type { GenerateOptions, Translator } from '../src/inference/translator.ts';

const manifest: Manifest = { format: 'attend-model/1', id: 'scripted', source: 'en', target: 'es', created: '2026-01-01T00:00:00Z', files: [] };

export function scriptedTranslator(script: { tokens?: number; stepMs?: number } = {}): Translator & { steps: number } {
  const { tokens = Number.POSITIVE_INFINITY, stepMs = 1 } = script;
  const translator = {
    manifest,
    config: resolveConfig({ maxPositions: 64 }),
    maxSourceTokens: 64,
    steps: 0,
    get decoderSteps() {
      return translator.steps;
    },
    encode: (text: string) => [...text.split(/\s+/).map((_, i) => 3 + i), 1],
    decode: (ids: number[]) => 'x'.repeat(ids.length),
    async *generate(_sources: readonly (readonly number[])[], options: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined> {
      const made = Math.min(tokens, options.maxTokens);
      for (let t = 0; t < made; t++) {
        await new Promise((resolve) => setTimeout(resolve, stepMs));
        options.signal?.throwIfAborted();
        translator.steps++;
        yield { type: 'token', index: 0, tokenId: 5, delta: 'x', logProb: 0 };
      }
      const finishReason = made < options.maxTokens ? 'eos' : 'length';
      yield { type: 'done', index: 0, translation: { ids: [], text: 'x'.repeat(made), finishReason, usage: { inputTokens: 0, outputTokens: made }, logProb: 0 } };
    },
    dispose: () => {},
  };
  return translator;
}
