import { describe, expect, it } from 'vitest';
import { splitInHalf, splitSentences } from './sentences.ts';

const join = (pieces: { text: string }[]) => pieces.map((p) => p.text).join('');

describe('splitSentences', () => {
  it('splits sentences and keeps the whitespace and line breaks between them', () => {
    const text = '  Hello there. How are you?\n\nI am fine!  Thanks.\n';
    const pieces = splitSentences(text, 'en');
    expect(pieces).toEqual([
      { text: '  ', translate: false },
      { text: 'Hello there.', translate: true },
      { text: ' ', translate: false },
      { text: 'How are you?', translate: true },
      { text: '\n\n', translate: false },
      { text: 'I am fine!', translate: true },
      { text: '  ', translate: false },
      { text: 'Thanks.', translate: true },
      { text: '\n', translate: false },
    ]);
    expect(join(pieces)).toBe(text);
  });

  it('gives nothing to translate for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\t')).toEqual([{ text: ' \n\t', translate: false }]);
    expect(splitSentences('no full stop', 'xx-invalid-locale-!!')).toEqual([{ text: 'no full stop', translate: true }]);
  });
});

describe('splitInHalf', () => {
  it('splits at the space nearest the middle, or between code points', () => {
    expect(splitInHalf('one two three four')).toEqual([
      { text: 'one two', translate: true },
      { text: ' ', translate: false },
      { text: 'three four', translate: true },
    ]);
    const emoji = '😀😀😀';
    const halves = splitInHalf(emoji);
    expect(join(halves)).toBe(emoji);
    expect(halves.every((h) => h.text.isWellFormed())).toBe(true);
  });
});
