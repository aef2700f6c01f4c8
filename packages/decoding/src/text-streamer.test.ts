import { describe, expect, it } from 'vitest';
import { bytePieces, pieceDecoder } from './fake-model.ts';
import { TextStreamer } from './text-streamer.ts';

const PIECES = ['▁Hola', '▁caf', ...bytePieces('é'), '▁', ...bytePieces('😀'), '▁mundo', '!', '▁ñ', ...bytePieces('🇪🇸')];
const decode = pieceDecoder(PIECES);
const ids = PIECES.map((_, k) => k + 3);

function stream(streamer: TextStreamer, tokens: readonly number[]): string[] {
  return [...tokens.map((id) => streamer.push(id)), streamer.finish()];
}

describe('TextStreamer', () => {
  it('holds back unfinished characters and the last word', () => {
    const deltas = stream(new TextStreamer(decode), ids.slice(0, 11));
    // ▁Hola | ▁caf | C3 | A9 | ▁ | F0 9F 98 80 | ▁mundo | ! | finish
    expect(deltas).toEqual(['', 'Hola', '', '', ' café', '', '', '', '', ' 😀', '', ' mundo!']);
  });

  it('concatenates to the full decoding for every prefix of a multi-byte sequence', () => {
    for (let end = 1; end <= ids.length; end++) {
      const streamer = new TextStreamer(decode);
      const deltas = stream(streamer, ids.slice(0, end));
      expect(deltas.join('')).toBe(decode(ids.slice(0, end)));
      expect(streamer.text).toBe(deltas.join(''));
      // Mid-stream deltas never hold a broken character and always end before a word boundary.
      for (const [k, delta] of deltas.slice(0, -1).entries()) {
        expect(delta).not.toContain('\uFFFD');
        const sent = deltas.slice(0, k + 1).join('');
        if (delta !== '') expect(decode(ids.slice(0, end))[sent.length]).toMatch(/\s/);
      }
    }
  });

  it('keeps deltas consistent when the decoder rewrites text it already sent', () => {
    // A decoder that upper-cases everything once a third token arrives: not prefix-stable.
    const unstable = (tokens: number[]) => {
      const text = ['uno', 'dos', 'tres', 'cuatro'].slice(0, tokens.length).join(' ');
      return tokens.length >= 3 ? text.toUpperCase() : text;
    };
    const streamer = new TextStreamer(unstable);
    const deltas = stream(streamer, [3, 4, 5, 6]);
    expect(deltas).toEqual(['', 'uno', '', '', ' DOS TRES CUATRO']);
    expect(streamer.text).toBe('uno DOS TRES CUATRO');
  });
});
