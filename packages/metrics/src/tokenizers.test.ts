import { describe, expect, it } from 'vitest';
import { tokenize13a, tokenizeChar, tokenizeIntl } from './tokenizers.ts';

// sacreBLEU's own tests exercise the tokenizers only through BLEU scores (ported in bleu.test.ts);
// these outputs were produced with sacrebleu 2.6.0: `Tokenizer13a()(line)` from
// sacrebleu/tokenizers/tokenizer_13a.py and `TokenizerV14International()(line)` from tokenizer_intl.py.
const CASES_13A: readonly (readonly [string, string])[] = [
  // SGML unescaping, `<skipped>` removal and the joining of `-\n`
  ['&quot;hi&amp;lt;&gt; <skipped>co-\nop', '" hi < > coop'],
  // `&quot;` is undone before `&amp;`, so this one stays escaped and is then split as symbols
  ['&amp;quot;', '& quot ;'],
  // period/comma stay inside numbers; a dash after a digit is split off
  ['3.14, 1,000 and 5-6 a.b,c', '3.14 , 1,000 and 5 - 6 a . b , c'],
  ['A.B.C. 1.2.3', 'A . B . C . 1.2.3'],
  ['Version 2.0-rc1, 3-4 días.', 'Version 2.0 - rc1 , 3 - 4 días .'],
  // ASCII symbols split off, apostrophes kept; non-ASCII punctuation is not touched by 13a
  ["l'homme (hi) [x] {y} ~`|\\", "l'homme ( hi ) [ x ] { y } ~ ` | \\"],
  ['¿Qué? ¡Sí! «x» “y” — z…', '¿Qué ? ¡Sí ! «x» “y” — z…'],
  ['Él dijo: "¡Hola!" y se fue.', 'Él dijo : " ¡Hola ! " y se fue .'],
  // a final period is split thanks to the padding; Python's whitespace (NBSP, EM SPACE, U+001C) separates
  ['end.', 'end .'],
  ['Ünïcödé 😀. test\u00a0nbsp\u2003em\u001cfs', 'Ünïcödé 😀 . test nbsp em fs'],
];

describe('tokenize13a', () => {
  it.each(CASES_13A)('tokenizes %j as sacreBLEU does', (line, expected) => {
    expect(tokenize13a(line)).toBe(expected);
  });

  it('yields an empty string for blank input', () => {
    expect(tokenize13a(' \t ')).toBe('');
  });
});

describe('tokenizeIntl', () => {
  it('splits Unicode punctuation unless it sits between digits, and every symbol', () => {
    expect(tokenizeIntl('¿Qué? ¡Sí! «x» 3.14, 1,000 €5 — z…')).toBe('¿ Qué ? ¡ Sí ! « x » 3.14 , 1,000 € 5 — z …');
  });
});

describe('tokenizeChar', () => {
  it('makes each code point a token, keeping surrogate pairs whole', () => {
    expect(tokenizeChar('añ😀')).toBe('a ñ 😀');
  });
});
