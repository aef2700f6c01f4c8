import { describe, expect, it } from 'vitest';
import { charNgrams } from './char-ngrams.ts';
import { classify, parseProfile, storeProfile } from './naive-bayes.ts';

describe('charNgrams', () => {
  it('counts 1- to 4-grams of each space-padded word, lowercased, without digits or punctuation', () => {
    const grams = charNgrams('The THE, 42!');
    expect(grams.get(' the')).toBe(2);
    expect(grams.get('the ')).toBe(2);
    expect(grams.get('t')).toBe(2);
    expect([...grams.keys()].some((g) => /[\d,!]/.test(g))).toBe(false);
    expect(charNgrams('¿…! 123').size).toBe(0);
  });

  it('reads a typographic apostrophe as an ASCII one', () => {
    expect(charNgrams('doesn’t')).toEqual(charNgrams("doesn't"));
  });
});

describe('naive Bayes over n-gram profiles', () => {
  const profiles = new Map([
    ['en', parseProfile(storeProfile(charNgrams('the cat and the dog and the house'), 100))],
    ['es', parseProfile(storeProfile(charNgrams('el gato y el perro y la casa'), 100))],
  ]);

  it('stores a profile as it parses back: the most frequent n-grams and a floor below them', () => {
    const stored = storeProfile(new Map([['a', 3], ['b', 1], ['c', 0.5]]), 2);
    expect(stored.grams.split('\n').map((line) => line.split('\t')[0])).toEqual(['a', 'b']);
    const profile = parseProfile(stored);
    expect(profile.logProb.get('a')).toBeCloseTo(Math.log(3 / 4), 2);
    expect(profile.floor).toBeLessThan(profile.logProb.get('b')!);
  });

  it('gives posteriors that sum to 1, the language of the text first', () => {
    const scores = classify(charNgrams('the dog'), profiles);
    expect(scores[0]!.language).toBe('en');
    expect(scores.reduce((sum, s) => sum + s.confidence, 0)).toBeCloseTo(1, 9);
    expect(classify(charNgrams('el perro'), profiles)[0]!.language).toBe('es');
  });

  it('gives every language confidence 0 when the text has no letters', () => {
    expect(classify(charNgrams('1, 2, 3!'), profiles)).toEqual([
      { language: 'en', confidence: 0 },
      { language: 'es', confidence: 0 },
    ]);
  });
});
