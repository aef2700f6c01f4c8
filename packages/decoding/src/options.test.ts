import { describe, expect, it } from 'vitest';
import { bannedTokens, resolveOptions } from './options.ts';

const decode = (ids: number[]) => ids.join(' ');

describe('bannedTokens', () => {
  it('bans what would repeat a token n-gram, as no_repeat_ngram_size does', () => {
    const options = resolveOptions({ decode, noRepeatNgramSize: 3, badWordsIds: [[0]] });
    // "7 8 9 7 8" + 9 would repeat "7 8 9"
    expect(bannedTokens(options, [7, 8, 9, 7, 8]).sort()).toEqual([0, 9]);
    expect(bannedTokens(options, [7, 8, 9, 7])).toEqual([0]);
    // "5 5 5" + 5 would repeat "5 5 5", overlapping the first
    expect(bannedTokens(options, [5, 5, 5])).toEqual([5, 0]);
  });

  it('repeats freely when off, and refuses a negative size', () => {
    expect(bannedTokens(resolveOptions({ decode, badWordsIds: [[0]] }), [7, 8, 9, 7, 8])).toEqual([0]);
    expect(bannedTokens(resolveOptions({ decode, noRepeatNgramSize: 1, badWordsIds: [[0]] }), [4, 2])).toEqual([4, 2, 0]);
    expect(() => resolveOptions({ decode, noRepeatNgramSize: -1 })).toThrow(/noRepeatNgramSize must be a non-negative integer/);
  });
});
