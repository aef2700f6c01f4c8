// Turns a growing list of token ids into text deltas whose concatenation is the final text.
//
// Subword tokenizers only decode prefix-stably up to the last word: the last token may be half of a
// UTF-8 character (byte-fallback tokens decode it as U+FFFD), and the next token may glue onto the
// last word ("▁Hol" + "a") or change the text next to it (Metaspace strips the first space,
// clean-up removes a space before punctuation). So the streamer
//   1) decodes the whole prefix,
//   2) holds everything back while the text ends with U+FFFD (an unfinished character),
//   3) otherwise emits up to (not including) the last whitespace: the last word and the space before
//      it wait until a following token starts a new word or the stream ends,
//   4) on finish, emits the rest of the full decoding.
// Scripts written without spaces (Chinese, Japanese) therefore arrive at the end in one delta.

const REPLACEMENT_CHARACTER = '\uFFFD';

export class TextStreamer {
  readonly #decode: (ids: number[]) => string;
  readonly #ids: number[] = [];
  #emitted = '';

  constructor(decode: (ids: number[]) => string) {
    this.#decode = decode;
  }

  /** The text emitted so far: the concatenation of every delta returned. */
  get text(): string {
    return this.#emitted;
  }

  /** Adds one generated token (never EOS) and returns the text that became final ('' if none). */
  push(id: number): string {
    this.#ids.push(id);
    const text = this.#decode(this.#ids);
    if (text.endsWith(REPLACEMENT_CHARACTER)) return '';
    const stable = text.slice(0, Math.max(0, lastWhitespace(text)));
    if (stable.length <= this.#emitted.length || !stable.startsWith(this.#emitted)) return '';
    return this.#emit(stable);
  }

  /** Ends the stream: returns the held-back rest, so that `text` equals the decoding of all tokens. */
  finish(): string {
    const full = this.#decode(this.#ids);
    // A decoder that rewrote text before the last word breaks the prefix property; what was sent
    // cannot be taken back, so the stream keeps it and goes on from the same character offset.
    return this.#emit(this.#emitted + full.slice(this.#emitted.length));
  }

  #emit(text: string): string {
    const delta = text.slice(this.#emitted.length);
    this.#emitted = text;
    return delta;
  }
}

function lastWhitespace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (/\s/u.test(text[i]!)) return i;
  return -1;
}
