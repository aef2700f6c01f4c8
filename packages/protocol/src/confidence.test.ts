import { describe, expect, it } from 'vitest';
import { CONFIDENCE, DeltaLogprobs, wordConfidences } from './confidence.ts';

// SentencePiece-like pieces ('▁' starts a word, '<0xNN>' is a byte); the id is the index.
const PIECES = ['▁Hol', 'a', '▁mun', 'do', '.', '▁caf', '<0xC3>', '<0xA9>', '▁ok'];
function decode(ids: number[]): string {
  const bytes: number[] = [];
  for (const id of ids) {
    const byte = /^<0x([0-9A-F]{2})>$/.exec(PIECES[id]!);
    if (byte) bytes.push(parseInt(byte[1]!, 16));
    else bytes.push(...new TextEncoder().encode(PIECES[id]!.replaceAll('▁', ' ')));
  }
  return new TextDecoder().decode(new Uint8Array(bytes)).replace(/^ /, '');
}

/** Feeds tokens with the deltas packages/decoding's TextStreamer gives for them; EOS has log p = -0.1. */
function score(steps: [id: number, logprob: number, delta: string][], last: string) {
  const scores = new DeltaLogprobs(decode);
  const deltas = steps.map(([id, logprob, delta]) => ({ text: delta, ...scores.token(id, logprob, delta) }));
  deltas.push({ text: last, ...scores.finish(-0.1) });
  return { deltas: deltas.filter((d) => d.text !== ''), mean: scores.meanLogprob };
}

describe('DeltaLogprobs', () => {
  it('puts each token in the delta that writes its text, not the one its arrival released', () => {
    const { deltas, mean } = score(
      [
        [0, -0.5, ''],
        [1, -0.25, ''],
        [2, -1, 'Hola'], // "▁mun" starts the next word: it released "Hola" but is not in it
        [3, -0.5, ''],
        [4, -0.1, ''],
      ],
      ' mundo.',
    );
    expect(deltas).toEqual([
      { text: 'Hola', logprob: -0.75, tokens: 2 },
      { text: ' mundo.', logprob: -1.6, tokens: 3 },
    ]);
    expect(mean).toBeCloseTo((-0.75 - 1.6 - 0.1) / 6); // EOS counts in the mean, in no delta
  });

  it('keeps the bytes of a character together with the word they spell', () => {
    const { deltas } = score(
      [
        [5, -0.2, ''],
        [6, -0.3, ''], // "caf\uFFFD": held back
        [7, -0.01, ''],
        [8, -2, 'café'],
      ],
      ' ok',
    );
    expect(deltas).toEqual([
      { text: 'café', logprob: -0.51, tokens: 3 },
      { text: ' ok', logprob: -2, tokens: 1 },
    ]);
  });
});

describe('wordConfidences', () => {
  it("gives each word the probability of its deltas' tokens, and text no token wrote a confidence of 1", () => {
    const words = wordConfidences([
      { text: '<b>', logprob: 0, tokens: 0 },
      { text: 'Hola', logprob: Math.log(0.5), tokens: 2 },
      { text: '</b>', logprob: 0, tokens: 0 },
      { text: ' mun', logprob: Math.log(0.5), tokens: 1 },
      { text: 'do', logprob: Math.log(0.5), tokens: 1 }, // one word over two deltas
      { text: '\n\n', logprob: 0, tokens: 0 },
      { text: 'a b', logprob: Math.log(0.1), tokens: 2 }, // two words in one delta share it
    ]);
    expect(words.map((w) => [w.text, w.start, Number(w.confidence.toFixed(6))])).toEqual([
      ['<b>Hola</b>', 0, 0.5],
      ['mundo', 12, 0.25],
      ['a', 19, 0.1],
      ['b', 21, 0.1],
    ]);
    expect(wordConfidences([])).toEqual([]);
  });

  it('marks a word doubtful below a probability in (0, 1)', () => {
    expect(CONFIDENCE.doubtfulBelow).toBeGreaterThan(0);
    expect(CONFIDENCE.doubtfulBelow).toBeLessThan(1);
  });
});
