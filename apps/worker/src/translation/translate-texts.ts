// Texts in, text events out: each text is split into sentences, the sentences are translated in
// order, and the whitespace between them is copied, so deltas stream in reading order and their
// concatenation is the text's final translation. Knows nothing of HTTP.
import type { Usage } from '@attend/protocol';
import type { GenerateOptions, Translator } from '../inference/translator.ts';
import { generationSlots } from './generation-slots.ts';
import { type Piece, splitInHalf, splitSentences } from './sentences.ts';

export type TextEvent =
  | { readonly type: 'delta'; readonly index: number; readonly text: string }
  | { readonly type: 'done'; readonly index: number; readonly text: string; readonly usage: Usage };

export async function* translateTexts(
  translator: Translator,
  texts: readonly string[],
  options: GenerateOptions,
): AsyncGenerator<TextEvent, void, undefined> {
  for (const [index, raw] of texts.entries()) {
    // Lone surrogates cannot be tokenized as UTF-8; they become U+FFFD as TextEncoder would make them.
    const text = raw.toWellFormed();
    let translation = '';
    const usage = { input_tokens: 0, output_tokens: 0 };
    for (const piece of splitSentences(text, translator.manifest.source)) {
      for (const part of fitToModel(translator, piece)) {
        if (!part.translate) {
          translation += part.text;
          yield { type: 'delta', index, text: part.text };
          continue;
        }
        const release = await generationSlots.acquire(options.signal);
        try {
          for await (const event of translator.generate([part.ids], options)) {
            if (event.type === 'token') {
              if (!event.delta) continue;
              translation += event.delta;
              yield { type: 'delta', index, text: event.delta };
            } else {
              usage.input_tokens += event.translation.usage.inputTokens;
              usage.output_tokens += event.translation.usage.outputTokens;
            }
          }
        } finally {
          release();
        }
      }
    }
    yield { type: 'done', index, text: translation, usage };
  }
}

type Part = { readonly translate: false; readonly text: string } | { readonly translate: true; readonly ids: number[] };

/** Tokenizes a sentence, halving it at whitespace until every part fits the model's positions. */
function* fitToModel(translator: Translator, piece: Piece): Generator<Part> {
  if (!piece.translate) {
    yield { translate: false, text: piece.text };
    return;
  }
  const ids = translator.encode(piece.text);
  if (ids.length <= translator.maxSourceTokens || Array.from(piece.text).length < 2) {
    yield { translate: true, ids: ids.slice(0, translator.maxSourceTokens) };
    return;
  }
  for (const half of splitInHalf(piece.text)) yield* fitToModel(translator, half);
}
