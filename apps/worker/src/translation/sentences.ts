// Long input is translated sentence by sentence (the model was trained on sentences, and each one
// stays well inside its positions), and the whitespace between sentences is copied unchanged, so
// line breaks and paragraphs survive translation.

/** A run of the input: either text to translate or whitespace to copy. Concatenated, they are the input. */
export interface Piece {
  readonly text: string;
  readonly translate: boolean;
}

const EDGE_SPACE = /^(\s*)([\s\S]*?)(\s*)$/u;

/** Splits text into sentences (Intl.Segmenter) and the whitespace around them. */
export function splitSentences(text: string, locale?: string): Piece[] {
  const pieces: Piece[] = [];
  for (const { segment } of segmenterFor(locale).segment(text)) {
    const [, before = '', sentence = '', after = ''] = EDGE_SPACE.exec(segment) ?? [];
    pushSpace(pieces, before);
    if (sentence) pieces.push({ text: sentence, translate: true });
    pushSpace(pieces, after);
  }
  return pieces;
}

/**
 * Splits a sentence too long for the model at the whitespace nearest its middle (or at the middle
 * code point when it has none): [left, space, right], where space may be ''.
 */
export function splitInHalf(text: string): Piece[] {
  const middle = Math.floor(text.length / 2);
  let best = -1;
  for (const match of text.matchAll(/\s+/gu)) {
    if (match.index === 0 || match.index + match[0].length === text.length) continue;
    if (best < 0 || Math.abs(match.index - middle) < Math.abs(best - middle)) best = match.index;
  }
  if (best > 0) {
    const space = /^\s+/u.exec(text.slice(best))![0];
    return [
      { text: text.slice(0, best), translate: true },
      { text: space, translate: false },
      { text: text.slice(best + space.length), translate: true },
    ];
  }
  const chars = Array.from(text); // never split a surrogate pair
  const half = Math.max(1, Math.floor(chars.length / 2));
  return [
    { text: chars.slice(0, half).join(''), translate: true },
    { text: chars.slice(half).join(''), translate: true },
  ];
}

function pushSpace(pieces: Piece[], space: string): void {
  if (!space) return;
  const last = pieces.at(-1);
  if (last && !last.translate) pieces[pieces.length - 1] = { text: last.text + space, translate: false };
  else pieces.push({ text: space, translate: false });
}

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(locale: string | undefined): Intl.Segmenter {
  const resolved = supportedLocale(locale);
  let segmenter = segmenters.get(resolved ?? '');
  if (!segmenter) {
    segmenter = new Intl.Segmenter(resolved, { granularity: 'sentence' });
    segmenters.set(resolved ?? '', segmenter);
  }
  return segmenter;
}

function supportedLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  try {
    return Intl.Segmenter.supportedLocalesOf([locale])[0];
  } catch {
    return undefined;
  }
}
