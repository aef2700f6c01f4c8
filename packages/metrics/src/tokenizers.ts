import { codePoints, pySplit } from './python-text.ts';

/** The BLEU tokenizers of sacreBLEU that need no outside library (`zh`, `ja-mecab`, `spm` do). */
export type TokenizerName = '13a' | 'intl' | 'char' | 'none';

// mteval-v13a's language-dependent part (sacrebleu/tokenizers/tokenizer_re.py), in its order:
// 1) split off every ASCII symbol except - . , '   2) period/comma unless preceded by a digit
// 3) period/comma unless followed by a digit          4) dash after a digit
const RULES_13A: readonly (readonly [RegExp, string])[] = [
  [/([\{-~\[-` -&\(-\+:-@\/])/gu, ' $1 '],
  [/([^0-9])([.,])/gu, '$1 $2 '],
  [/([.,])([^0-9])/gu, ' $1 $2'],
  [/([0-9])(-)/gu, '$1 $2 '],
];

// mteval-v14 --international-tokenization (sacrebleu/tokenizers/tokenizer_intl.py): punctuation
// is split off unless it sits between digits; every symbol is split off.
const RULES_INTL: readonly (readonly [RegExp, string])[] = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

function applyRules(line: string, rules: readonly (readonly [RegExp, string])[]): string {
  let out = line;
  for (const [pattern, replacement] of rules) out = out.replace(pattern, replacement);
  return pySplit(out).join(' ');
}

/** sacreBLEU's `Tokenizer13a` (mteval-v13a.pl, the WMT standard): one line in, tokens joined by one space. */
export function tokenize13a(line: string): string {
  // Language-independent part: mteval drops `<skipped>` markers, joins words hyphenated across
  // lines and undoes four SGML escapes, in exactly this order: `&amp;quot;` stays `&quot;` while
  // `&amp;lt;` becomes `<`.
  const unescaped = line
    .replaceAll('<skipped>', '')
    .replaceAll('-\n', '')
    .replaceAll('\n', ' ')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
  // The padding lets rules 2 and 3 see a non-digit before the first and after the last character.
  return applyRules(` ${unescaped} `, RULES_13A);
}

/** sacreBLEU's `TokenizerV14International`. */
export function tokenizeIntl(line: string): string {
  return applyRules(line, RULES_INTL);
}

/** sacreBLEU's `TokenizerChar`: every code point (spaces included) becomes a token. */
export function tokenizeChar(line: string): string {
  return codePoints(line).join(' ');
}

export function getTokenizer(name: TokenizerName): (line: string) => string {
  switch (name) {
    case '13a':
      return tokenize13a;
    case 'intl':
      return tokenizeIntl;
    case 'char':
      return tokenizeChar;
    case 'none':
      return (line) => line;
  }
}
