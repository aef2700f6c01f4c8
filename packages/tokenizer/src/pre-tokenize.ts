// Text -> special-token ids and Metaspace words, step for step as Hugging Face runs the pipeline that
// tokenizer.json declares (see tokenizer-json.ts):
//   1) split out the special tokens, matched verbatim in the raw text (added tokens, normalized: false)
//   2) NFC, then Prepend "▁" to every remaining section
//   3) Metaspace: " " -> "▁", split before every "▁" (SplitDelimiterBehavior::MergedWithNext)
// Prepending in the normalizer, not in Metaspace, is what keeps a leading space: Metaspace's
// prepend_scheme "always" skips text that already starts with "▁", so " a" would decode to "a".
import { SPECIAL_TOKENS } from '@attend/model-spec';

export const METASPACE = '\u2581';

const SPECIALS = [SPECIAL_TOKENS.pad, SPECIAL_TOKENS.eos, SPECIAL_TOKENS.unk];
const SPECIAL_IDS = new Map<string, number>(SPECIALS.map((t) => [t.content, t.id]));
// No special token is a prefix of another, so the first match is also the longest, as in HF's trie.
const SPECIAL_PATTERN = new RegExp(SPECIALS.map((t) => t.content.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');

/** Calls `onSpecial` for each special token found in the text and `onWord` for each word, in order. */
export function preTokenize(text: string, onWord: (word: string) => void, onSpecial: (id: number) => void): void {
  if (!text.includes('<')) {
    if (text !== '') metaspaceWords(text, onWord);
    return;
  }
  let start = 0;
  for (const match of text.matchAll(SPECIAL_PATTERN)) {
    if (match.index > start) metaspaceWords(text.slice(start, match.index), onWord);
    onSpecial(SPECIAL_IDS.get(match[0]) as number);
    start = match.index + match[0].length;
  }
  if (start < text.length) metaspaceWords(text.slice(start), onWord);
}

function metaspaceWords(section: string, onWord: (word: string) => void): void {
  const text = METASPACE + section.normalize('NFC').replaceAll(' ', METASPACE);
  let start = 0;
  for (let at = text.indexOf(METASPACE, 1); at !== -1; at = text.indexOf(METASPACE, at + 1)) {
    onWord(text.slice(start, at));
    start = at;
  }
  onWord(text.slice(start));
}
