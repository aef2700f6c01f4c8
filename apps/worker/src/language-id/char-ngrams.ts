// The features of the language identifier: character 1- to 4-grams of each word, the word padded
// with a space on both sides, so that " the " yields " t", "the ", " th", ... Word edges tell
// languages apart best in short strings ("-ción ", " the "); digits and punctuation say nothing
// and are dropped (Cavnar & Trenkle 1994, "N-Gram-Based Text Categorization", §3).

/** Longest n-gram counted. */
export const MAX_GRAM = 4;

/** Only the start of a long text is read: a few hundred characters decide, and CPU stays bounded. */
export const MAX_CHARS = 1_000;

const NOT_WORD = /[^\p{L}\p{M}']+/u;

/** The n-grams of `text` and how often each occurs. */
export function charNgrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const words = text.slice(0, MAX_CHARS).normalize('NFC').toLowerCase().replaceAll('\u2019', "'").split(NOT_WORD);
  for (const word of words) {
    if (word === '' || word === "'") continue;
    const padded = ` ${word} `;
    for (let n = 1; n <= MAX_GRAM; n++) {
      for (let i = 0; i + n <= padded.length; i++) {
        const gram = padded.slice(i, i + n);
        if (gram !== ' ') counts.set(gram, (counts.get(gram) ?? 0) + 1);
      }
    }
  }
  return counts;
}
