// sacreBLEU is Python: its token boundaries are `str.split()` and its characters are code points.
// JS `\s` differs from Python's `str.isspace()` (it lacks U+001C..U+001F and U+0085, and adds U+FEFF),
// and JS strings index UTF-16 units, so both are restated here to keep scores identical.
const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT = new RegExp(`[${PY_WHITESPACE}]+`, 'u');
const TRAILING = new RegExp(`[${PY_WHITESPACE}]+$`, 'u');

/** Python's `s.split()`: runs of whitespace separate, leading and trailing runs vanish. */
export function pySplit(s: string): string[] {
  return s.split(SPLIT).filter((token) => token !== '');
}

/** Python's `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING, '');
}

/** Python's `list(s)`: one entry per code point, so a surrogate pair is one character. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** collections.Counter of the n-grams of `units`, each keyed by its units joined with `sep`. */
export function countNgrams(units: readonly string[], n: number, sep: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= units.length; i++) {
    const gram = units.slice(i, i + n).join(sep);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** Counter of the character n-grams of `text`, characters being code points (Python's `s[i:i + n]`). */
export function countCharNgrams(text: string, n: number): Map<string, number> {
  // UTF-16 offset of every code point, then the end: n-grams are then plain substrings.
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1) offsets.push(i);
  offsets.push(text.length);
  const counts = new Map<string, number>();
  for (let i = 0; i + n < offsets.length; i++) {
    const gram = text.slice(offsets[i], offsets[i + n]);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}
