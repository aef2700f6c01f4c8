// The fixed head of every vocabulary we train: the special tokens at their model-spec ids, then the
// 256 byte-fallback tokens `<0x00>`..`<0xFF>` (SentencePiece / HF `byte_fallback: true`), then the
// learned tokens (characters, then merges).
import { SPECIAL_TOKENS } from '@attend/model-spec';

export const SPECIAL_TOKEN_LIST = [SPECIAL_TOKENS.pad, SPECIAL_TOKENS.eos, SPECIAL_TOKENS.unk] as const;
export const FIRST_BYTE_ID = SPECIAL_TOKEN_LIST.length;
export const FIRST_LEARNED_ID = FIRST_BYTE_ID + 256;

export function byteToken(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;
}

/** Specials and byte tokens, in id order. */
export function reservedTokens(): string[] {
  const tokens: string[] = SPECIAL_TOKEN_LIST.map((t) => t.content);
  for (let byte = 0; byte < 256; byte++) tokens.push(byteToken(byte));
  return tokens;
}

/**
 * HF's ByteFallback decoder reads any 6-character token `<0x..>` as a byte (it only checks that
 * parseInt succeeds), so a learned token of that shape would decode wrongly: we never learn one.
 */
export function looksLikeByteToken(token: string): boolean {
  return token.length === 6 && token.startsWith('<0x') && token.endsWith('>');
}

/** UTF-8 bytes of one code point (RFC 3629 §3); lone surrogates are encoded as TextEncoder does, as U+FFFD. */
export function utf8Bytes(codePoint: number): number[] {
  const cp = codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint;
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}
