// Encode and decode with a trained BPE vocabulary, producing the same ids and text as Hugging Face
// does with our tokenizer.json. Runtime-agnostic: no Node APIs, only TextDecoder (Workers, browsers).
import { SPECIAL_TOKENS } from '@attend/model-spec';
import { MAX_PAIR_ID, PairRanks } from './pair-ranks.ts';
import { METASPACE, preTokenize } from './pre-tokenize.ts';
import {
  type BpeVocabulary,
  type TokenizerConfigJson,
  type TokenizerConfigOptions,
  type TokenizerJson,
  fromTokenizerJson,
  toTokenizerJson,
  tokenizerConfigJson,
} from './tokenizer-json.ts';
import { FIRST_BYTE_ID, FIRST_LEARNED_ID, looksLikeByteToken, reservedTokens, utf8Bytes } from './vocabulary.ts';

export interface EncodeOptions {
  readonly addEos?: boolean; // append </s>, as Marian does for the source and the target labels
}

export interface DecodeOptions {
  readonly skipSpecialTokens?: boolean; // drop <pad>, </s>, <unk>
}

const CACHE_LIMIT = 1 << 16; // words; bounds the memory a long-lived Worker isolate spends on it

export class Tokenizer {
  readonly vocabSize: number;
  private readonly vocabulary: BpeVocabulary;
  private readonly ids: Map<string, number>;
  private readonly charIds = new Map<number, number>(); // code point -> id, for the learned characters
  private readonly pieces: string[]; // id -> its text in decoded output
  private readonly ranks: PairRanks;
  private readonly rules: number[] = []; // rank r -> [left, right, merged] ids at 3r, 3r + 1, 3r + 2
  private readonly cache = new Map<string, readonly number[]>();
  // ignoreBOM: a U+FEFF that fell back to bytes must decode to itself, not vanish.
  private readonly utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  constructor(vocabulary: BpeVocabulary) {
    const { tokens, merges } = vocabulary;
    const reserved = reservedTokens();
    if (tokens.length < FIRST_LEARNED_ID || reserved.some((token, id) => tokens[id] !== token)) {
      throw new Error(`a vocabulary must start with ${reserved.slice(0, FIRST_BYTE_ID).join(', ')}, then <0x00>..<0xFF>`);
    }
    if (tokens.length > MAX_PAIR_ID + 1) throw new Error(`a vocabulary holds at most ${MAX_PAIR_ID + 1} tokens, got ${tokens.length}`);
    this.vocabulary = vocabulary;
    this.vocabSize = tokens.length;
    this.ranks = new PairRanks(merges.length);
    this.ids = new Map(tokens.map((token, id) => [token, id]));
    if (this.ids.size !== tokens.length) throw new Error('a vocabulary must not list a token twice');
    for (let id = FIRST_LEARNED_ID; id < tokens.length; id++) {
      const token = tokens[id] as string;
      if (token === '' || looksLikeByteToken(token)) throw new Error(`learned token ${id} ${JSON.stringify(token)} is empty or reads as a byte`);
      const codePoint = token.codePointAt(0) as number;
      if (token.length === String.fromCodePoint(codePoint).length) this.charIds.set(codePoint, id);
    }
    this.pieces = tokens.map((token) => token.replaceAll(METASPACE, ' '));
    merges.forEach(([left, right], rank) => {
      const a = this.ids.get(left);
      const b = this.ids.get(right);
      const merged = this.ids.get(left + right);
      if (a === undefined || b === undefined || merged === undefined || Math.min(a, b, merged) < FIRST_LEARNED_ID) {
        throw new Error(`merge ${rank} (${JSON.stringify(left)}, ${JSON.stringify(right)}) must join learned tokens into a learned token`);
      }
      // A pair listed twice keeps its last rank, as in both HF runtimes (a Map built in order).
      this.ranks.set(a, b, rank);
      this.rules.push(a, b, merged);
    });
  }

  /** Builds a tokenizer from a parsed tokenizer.json written by `toJSON()`. */
  static fromJSON(json: unknown): Tokenizer {
    return new Tokenizer(fromTokenizerJson(json));
  }

  encode(text: string, { addEos = true }: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    preTokenize(
      text,
      (word) => this.encodeWord(word, ids),
      (id) => ids.push(id),
    );
    if (addEos) ids.push(SPECIAL_TOKENS.eos.id);
    return ids;
  }

  // The decoder of tokenizer.json: Replace "▁" -> " ", ByteFallback, Fuse, Strip one leading space.
  decode(ids: Iterable<number>, { skipSpecialTokens = true }: DecodeOptions = {}): string {
    let text = '';
    let bytes: number[] = [];
    for (const id of ids) {
      const piece = this.pieces[id];
      if (piece === undefined) throw new RangeError(`token id ${id} is outside the vocabulary [0, ${this.vocabSize})`);
      if (id < FIRST_BYTE_ID && skipSpecialTokens) continue;
      if (id >= FIRST_BYTE_ID && id < FIRST_LEARNED_ID) {
        bytes.push(id - FIRST_BYTE_ID);
        continue;
      }
      if (bytes.length > 0) {
        text += this.utf8.decode(Uint8Array.from(bytes));
        bytes = [];
      }
      text += piece;
    }
    if (bytes.length > 0) text += this.utf8.decode(Uint8Array.from(bytes));
    return text.startsWith(' ') ? text.slice(1) : text;
  }

  idToToken(id: number): string | undefined {
    return this.vocabulary.tokens[id];
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** tokenizer.json, as an object: `JSON.stringify(tokenizer)` writes the file. */
  toJSON(): TokenizerJson {
    return toTokenizerJson(this.vocabulary);
  }

  /** tokenizer_config.json, as an object. */
  tokenizerConfig(options?: TokenizerConfigOptions): TokenizerConfigJson {
    return tokenizerConfigJson(options);
  }

  // BPE on one Metaspace word: start from characters (bytes for characters outside the vocabulary),
  // then merge the lowest-ranked adjacent pair, all its occurrences left to right, until none is left.
  // Same result as HF's priority queue: a pair built from a merged token always ranks after that merge.
  private encodeWord(word: string, out: number[]): void {
    const cached = this.cache.get(word);
    if (cached !== undefined) {
      for (const id of cached) out.push(id);
      return;
    }
    const symbols: number[] = [];
    for (let i = 0; i < word.length; i++) {
      const codePoint = word.codePointAt(i) as number;
      if (codePoint > 0xffff) i++;
      const id = this.charIds.get(codePoint);
      if (id !== undefined) symbols.push(id);
      else for (const byte of utf8Bytes(codePoint)) symbols.push(FIRST_BYTE_ID + byte);
    }
    let length = symbols.length;
    for (;;) {
      let rank = Infinity;
      let at = -1;
      for (let i = 0; i + 1 < length; i++) {
        const r = this.ranks.get(symbols[i] as number, symbols[i + 1] as number);
        if (r >= 0 && r < rank) {
          rank = r;
          at = i;
        }
      }
      if (at < 0) break;
      const a = this.rules[3 * rank] as number;
      const b = this.rules[3 * rank + 1] as number;
      let write = at;
      for (let read = at; read < length; read++, write++) {
        if (symbols[read] === a && symbols[read + 1] === b && read + 1 < length) {
          symbols[write] = this.rules[3 * rank + 2] as number;
          read++;
        } else {
          symbols[write] = symbols[read] as number;
        }
      }
      length = write;
    }
    symbols.length = length;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, symbols);
    for (const id of symbols) out.push(id);
  }
}
