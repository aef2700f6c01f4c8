import { describe, expect, it } from 'vitest';
import { computeBleu, corpusBleu, type BleuOptions } from './bleu.ts';

// sacreBLEU's `raw_corpus_bleu(hyps, refs, smooth_value)` (sacrebleu/compat.py): no tokenization,
// floor smoothing, effective order.
function rawCorpusBleu(hyps: string[], refs: string[][], smoothValue?: number): number {
  const options: BleuOptions = { tokenize: 'none', smoothMethod: 'floor', effectiveOrder: true };
  return corpusBleu(hyps, refs, smoothValue === undefined ? options : { ...options, smoothValue }).score / 100;
}

// The README example (mjpost/sacrebleu README.md, "Using SacreBLEU from Python"), reused by test/test_bleu.py.
const REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('corpusBleu: mjpost/sacrebleu test/test_bleu.py', () => {
  // test_corpus_bleu_cases, EPSILON = 1e-8
  it.each([
    [HYPS, {}, 48.530827],
    [['', '', ''], {}, 0.0], // empty hypotheses are kept, and score 0
    [HYPS, { tokenize: 'none' }, 49.1919566],
    [HYPS, { tokenize: '13a' }, 48.530827],
    [HYPS, { tokenize: 'intl' }, 43.91623493],
    [HYPS, { smoothMethod: 'none' }, 48.530827],
  ] as const)('test_corpus_bleu %j %j -> %d', (hyps, options, expected) => {
    expect(Math.abs(corpusBleu(hyps, REFS, options).score - expected)).toBeLessThan(1e-8);
  });

  // test_raw_bleu_cases; "ref1"/"ref2" share nothing with the hypotheses: 0 since sacreBLEU #141
  it.each([
    [['this is a test', 'another test'], [['ref1', 'ref2']], 0.0],
    [['this is a test'], [['this is a test']], 1.0],
    [['this is a fest'], [['this is a test']], 0.223606797749979],
  ])('test_raw_bleu %j', (hyps, refs, expected) => {
    expect(Math.abs(rawCorpusBleu(hyps, refs, 0.01) - expected)).toBeLessThan(1e-8);
  });

  // test_case_effective_order
  it.each([
    [['test'], [['a test']], 0.3678794411714425],
    [['a test'], [['a test']], 1.0],
    [['a little test'], [['a test']], 0.03218297948685433],
  ])('test_effective_order %j', (hyps, refs, expected) => {
    expect(Math.abs(rawCorpusBleu(hyps, refs, 0.01) - expected)).toBeLessThan(1e-8);
  });

  it('test_statistics: clipped counts and totals', () => {
    const result = corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], {
      tokenize: 'none',
      smoothMethod: 'floor',
      smoothValue: 0.01,
      effectiveOrder: true,
    });
    expect(result.counts).toEqual([4, 2, 1, 0]);
    expect(result.totals).toEqual([6, 5, 4, 3]);
  });

  it('test_offset: floor 0 gives 0, the default floor (0.1) gives 0.1555722182', () => {
    const hyps = ['am I am a character sequence'];
    const refs = [['I am a symbol string sequence a a']];
    expect(rawCorpusBleu(hyps, refs, 0)).toBe(0);
    expect(Math.abs(rawCorpusBleu(hyps, refs) - 0.1555722182)).toBeLessThan(1e-8);
  });

  // test_bleu_max_order, compared as `f"{score:.2f}"`
  it.each([
    [1, '77.65'],
    [2, '60.50'],
    [3, '53.93'],
    [4, '48.53'],
    [5, '46.14'],
    [6, '43.28'],
  ])('test_max_ngram_order %i -> %s', (maxNgramOrder, expected) => {
    expect(corpusBleu(HYPS, REFS, { maxNgramOrder }).score.toFixed(2)).toBe(expected);
  });
});

describe('computeBleu: mjpost/sacrebleu test/test_bleu.py', () => {
  it('test_scoring: from sufficient statistics', () => {
    const score = computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, { smoothMethod: 'none' }).score / 100;
    expect(Math.abs(score - 0.8375922397)).toBeLessThan(1e-8);
  });

  // test_case_degenerate_stats: no match at any order is exactly 0, whatever the floor
  it.each([
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ])('test_degenerate_statistics %j %j sys=%i ref=%i floor=%d', (counts, totals, sysLen, refLen, smoothValue) => {
    expect(computeBleu(counts, totals, sysLen, refLen, { smoothMethod: 'floor', smoothValue }).score).toBe(0);
  });
});

describe('corpusBleu: the README example in full (mjpost/sacrebleu README.md)', () => {
  it('BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)', () => {
    const result = corpusBleu(HYPS, REFS);
    expect(result.score).toBeCloseTo(48.530827009929865, 10);
    expect(result.counts).toEqual([14, 7, 5, 3]);
    expect(result.totals).toEqual([17, 14, 11, 8]);
    expect(result.precisions.map((p) => p.toFixed(1))).toEqual(['82.4', '50.0', '45.5', '37.5']);
    expect(result.bp.toFixed(3)).toBe('0.943');
    expect([result.sysLen, result.refLen]).toEqual([17, 18]);
    // README prints version:2.0.0; the fields are unchanged in 2.6.0
    expect(result.signature).toBe('BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
  });

  it('variable references: BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ... ref_len = 19), nrefs:var', () => {
    const result = corpusBleu(HYPS, [[null, ...REFS[0]!.slice(1)], REFS[1]!]);
    expect(result.score.toFixed(2)).toBe('29.44');
    expect(result.precisions.map((p) => p.toFixed(1))).toEqual(['82.4', '42.9', '27.3', '12.5']);
    expect(result.bp.toFixed(3)).toBe('0.889');
    expect([result.sysLen, result.refLen]).toEqual([17, 19]);
    expect(result.signature).toBe('BLEU|nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
  });

  it('takes one reference per hypothesis as a flat list', () => {
    expect(corpusBleu(HYPS, REFS[0]!).score).toBe(corpusBleu(HYPS, [REFS[0]!]).score);
  });

  it('reports the smoothing value in the signature as sacreBLEU does', () => {
    expect(corpusBleu(HYPS, REFS, { smoothMethod: 'floor', lowercase: true }).signature).toBe(
      'BLEU|nrefs:2|case:lc|eff:no|tok:13a|smooth:floor[0.10]|version:2.6.0',
    );
  });
});
