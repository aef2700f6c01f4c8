import { describe, expect, it } from 'vitest';
import { sentenceBleu, type SmoothMethod } from './bleu.ts';
import type { TokenizerName } from './tokenizers.ts';

// mjpost/sacrebleu test/test_sentence_bleu.py, EPSILON = 1e-3, all with effective order on.
// Example from sacreBLEU issue #98:
const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';

describe('sentenceBleu: mjpost/sacrebleu test/test_sentence_bleu.py', () => {
  it.each<[SmoothMethod, number | undefined, boolean, TokenizerName, number]>([
    ['exp', undefined, false, '13a', 8.493],
    ['none', undefined, false, '13a', 0.0],
    ['floor', undefined, false, '13a', 4.51688], // defaults to 0.1
    ['floor', 0.1, false, '13a', 4.51688],
    ['floor', 0.5, false, '13a', 10.1],
    ['add-k', undefined, false, '13a', 14.882], // defaults to 1
    ['add-k', 1, false, '13a', 14.882],
    ['add-k', 2, false, '13a', 21.389],
    ['exp', undefined, false, 'none', 7.347],
    ['exp', undefined, false, 'intl', 8.493],
    ['exp', undefined, false, 'char', 40.8759],
    ['exp', undefined, true, 'char', 42.0267],
  ])('test_api_sentence_bleu smooth=%s value=%s lowercase=%s tok=%s -> %d', (smoothMethod, smoothValue, lowercase, tokenize, expected) => {
    const options = { smoothMethod, lowercase, tokenize, effectiveOrder: true };
    const score = sentenceBleu(SYS, [REF], smoothValue === undefined ? options : { ...options, smoothValue }).score;
    expect(Math.abs(score - expected)).toBeLessThan(1e-3);
  });

  // test_cases_zero_bleu, example from sacreBLEU issue #141: no unigram match is 0 under any smoothing
  it.each<[SmoothMethod, number | undefined]>([
    ['exp', undefined],
    ['none', undefined],
    ['floor', undefined],
    ['floor', 0.1],
    ['add-k', undefined],
    ['add-k', 1],
  ])('test_api_sentence_bleu_zero smooth=%s value=%s', (smoothMethod, smoothValue) => {
    const options = { smoothMethod, effectiveOrder: true };
    const score = sentenceBleu('this is a cat', ['okay thanks'], smoothValue === undefined ? options : { ...options, smoothValue });
    expect(score.score).toBe(0);
  });
});

describe('sentenceBleu defaults', () => {
  it('turns effective order on, like sacreBLEU sentence_bleu', () => {
    const result = sentenceBleu(SYS, [REF]);
    expect(Math.abs(result.score - 8.493)).toBeLessThan(1e-3);
    expect(result.signature).toBe('BLEU|nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0');
  });

  it('scores an empty hypothesis 0 with brevity penalty 0', () => {
    const result = sentenceBleu('', ['a reference sentence']);
    expect([result.score, result.bp, result.sysLen, result.refLen]).toEqual([0, 0, 0, 3]);
  });

  it('matches each n-gram against the reference where it occurs most, and takes the closest length', () => {
    // "the the the" against refs with one and two "the": the clip is 2; hyp length 3 is as close to 2
    // as to 4, and the shorter one wins the tie (sacreBLEU `_get_closest_ref_len`). Expected values
    // from sacrebleu 2.6.0: BLEU = 55.03 66.7/50.0/50.0/0.0 (BP = 1.000 ... hyp_len = 3 ref_len = 2).
    const result = sentenceBleu('the the the', ['the cat', 'the the mat sat']);
    expect(result.counts).toEqual([2, 1, 0, 0]);
    expect(result.totals).toEqual([3, 2, 1, 0]);
    expect(result.refLen).toBe(2);
    expect(result.score.toFixed(2)).toBe('55.03');
    expect(result.signature).toContain('nrefs:2');
  });
});
