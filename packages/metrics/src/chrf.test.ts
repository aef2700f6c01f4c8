import { describe, expect, it } from 'vitest';
import { corpusChrf, sentenceChrf } from './chrf.ts';

// mjpost/sacrebleu test/test_chrf.py, EPSILON = 1e-4; its corpus cases use char_order=6,
// word_order=0, beta=3.
const BETA3 = { charOrder: 6, wordOrder: 0, beta: 3 } as const;

describe('corpusChrf: mjpost/sacrebleu test/test_chrf.py', () => {
  // test_cases: eps smoothing (chrF++.py / NLTK), where orders without n-grams count as eps
  it.each([
    [['abcdefg'], ['hijklmnop'], 0.0],
    [['a'], ['b'], 0.0],
    [[''], ['b'], 0.0],
    [[''], ['ref'], 0.0],
    [[''], ['reference'], 0.0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50.0],
    [['a b c'], ['abc'], 50.0],
    [
      [' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'],
      63.36173,
    ],
    [
      [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      64.1302698,
    ],
    [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100.0],
  ])('test_chrf %j vs %j -> %d', (hyps, refs, expected) => {
    expect(Math.abs(corpusChrf(hyps, refs, { ...BETA3, epsSmoothing: true }).score - expected)).toBeLessThan(1e-4);
  });

  // test_cases_effective_order: sacreBLEU's default, averaging only orders present on both sides
  it.each([
    [['a'], ['a'], 100.0],
    [[''], ['reference'], 0.0],
    [['a b c'], ['a b c'], 100.0],
    [['a b c'], ['abc'], 100.0],
    [[''], ['c'], 0.0],
    [['a', 'b'], ['a', 'c'], 50.0],
    [['aa'], ['ab'], 25.0],
  ])('test_chrf_eff_order %j vs %j -> %d', (hyps, refs, expected) => {
    expect(Math.abs(corpusChrf(hyps, refs, { ...BETA3, epsSmoothing: false }).score - expected)).toBeLessThan(1e-4);
  });

  // test_cases_keep_whitespace (remove_whitespace=False)
  it.each([
    [
      ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      67.3481606,
    ],
    [
      ['risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'],
      65.2414427,
    ],
  ])('test_chrf_keep_whitespace %#', (hyps, refs, expected) => {
    expect(Math.abs(corpusChrf(hyps, refs, { ...BETA3, whitespace: true }).score - expected)).toBeLessThan(1e-4);
  });
});

describe('sentenceChrf: mjpost/sacrebleu test/test_chrf.py test_sentence_level_chrf (eps smoothing)', () => {
  it.each([
    [
      'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      ['Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.'],
      39.14078509,
    ],
    [
      'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      ['A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.'],
      31.22557079,
    ],
    [
      'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      ['Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.'],
      57.15704367,
    ],
  ])('%s', (hypothesis, references, expected) => {
    expect(Math.abs(sentenceChrf(hypothesis, references, { epsSmoothing: true }).score - expected)).toBeLessThan(1e-4);
  });
});

describe('corpusChrf: the README example (mjpost/sacrebleu README.md)', () => {
  const refs = [
    ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
    ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
  ];
  const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

  it('chrF2 = 59.73 with sacreBLEU defaults', () => {
    const result = corpusChrf(hyps, refs);
    expect(result.score.toFixed(2)).toBe('59.73');
    // full precision and signature from sacrebleu 2.6.0 `CHRF().corpus_score` / `get_signature()`
    expect(result.score).toBeCloseTo(59.72751782684763, 10);
    expect(result.signature).toBe('chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0');
  });

  it('chrF2++ (word order 2) = 59.15, from sacrebleu 2.6.0 `CHRF(word_order=2)`', () => {
    const result = corpusChrf(hyps, refs, { wordOrder: 2 });
    expect(result.score).toBeCloseTo(59.15310444399262, 10);
    expect(result.signature).toBe('chrF2++|nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0');
  });
});

describe('corpusChrf with a reference shorter than the n-gram order', () => {
  it('leaves the longer hypothesis n-grams of that segment out of the corpus totals (sacrebleu 2.6.0: 70.8742593176143)', () => {
    const score = corpusChrf(['abcdefg', 'the cat sat on the mat'], ['ab', 'the cat sat on a mat']).score;
    expect(score).toBeCloseTo(70.8742593176143, 10);
  });
});

describe('sentenceChrf with several references', () => {
  it('keeps the statistics of the best-scoring reference', () => {
    const best = sentenceChrf('the cat sat', ['a dog ran', 'the cat sat']);
    expect(best.score).toBe(100);
    expect(best.signature).toContain('nrefs:2');
  });
});

describe('chrF++ word n-grams', () => {
  // From sacrebleu 2.6.0 `CHRF(word_order=2[, lowercase=True]).sentence_score`: one ASCII
  // punctuation mark comes off each word's end, else its start, so '(hola)' yields '(hola' and ')'.
  it.each([
    [0, false, '(hola) dijo, «ya»', 33.387990201751215],
    [2, false, '(hola) dijo, «ya»', 27.550372651218623],
    [2, true, '(Hola) dijo, «ya»', 27.550372651218623],
  ])('word order %i, lowercase %s: %s', (wordOrder, lowercase, hypothesis, expected) => {
    expect(sentenceChrf(hypothesis, ['hola (dijo) ya.'], { wordOrder, lowercase }).score).toBeCloseTo(expected, 10);
  });
});
