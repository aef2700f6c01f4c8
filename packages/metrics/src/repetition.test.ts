import { describe, expect, it } from 'vitest';
import { hasRepeatedNgram, repeatedNgramShare } from './repetition.ts';

describe('repeated n-grams', () => {
  it('finds a trigram that occurs twice, ignoring case', () => {
    expect(hasRepeatedNgram('puede intentar atacar a atacar a atacar con', 3)).toBe(true);
    expect(hasRepeatedNgram('De la casa de la casa', 3)).toBe(true);
    expect(hasRepeatedNgram('de la casa y de la calle', 3)).toBe(false);
    expect(hasRepeatedNgram('de la casa y de la calle', 2)).toBe(true);
  });

  it('counts texts, not repeats', () => {
    expect(repeatedNgramShare(['a b c a b c a b c', 'a b c d', 'x y z x y z'])).toBeCloseTo(2 / 3);
    expect(repeatedNgramShare([])).toBe(0);
  });
});
