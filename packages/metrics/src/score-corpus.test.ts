import { describe, expect, it } from 'vitest';
import { sentenceBleu } from './bleu.ts';
import { corpusChrf, sentenceChrf } from './chrf.ts';
import { scoreCorpus } from './score-corpus.ts';
import golden from './sacrebleu-golden.json' with { type: 'json' };

describe('scoreCorpus', () => {
  it('reports the README example as sacreBLEU does (mjpost/sacrebleu README.md)', () => {
    const refs = [
      ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
      ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
    ];
    const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
    const scores = scoreCorpus(hyps, refs);
    expect(scores.bleu.score.toFixed(2)).toBe('48.53');
    expect(scores.chrf.toFixed(2)).toBe('59.73');
    expect(scores.signatures).toEqual({
      bleu: 'BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0',
      chrf: 'chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0',
    });
  });

  it('rejects references that do not line up with the hypotheses', () => {
    expect(() => scoreCorpus(['a', 'b'], ['a'])).toThrow(/same length as `hypotheses` \(2\), got 1/);
    expect(() => scoreCorpus(['a'], [['a'], ['b', 'c']])).toThrow(/same length/);
    expect(() => scoreCorpus([], [])).toThrow(/`hypotheses` should not be empty/);
    expect(() => scoreCorpus(['a'], [])).toThrow(/`references` should not be empty/);
    expect(() => scoreCorpus(['a', 'b'], [['x', null]])).toThrow(/segment 1 has no reference/);
  });
});

// Spanish dev sentences with perturbed hypotheses, one empty and one left in English; expected
// values computed with sacrebleu 2.6.0 (see `source` in the fixture, rounded to 10 decimals).
describe('golden: sacrebleu 2.6.0 on sentences from dev.tsv', () => {
  const hyps = golden.segments.map((segment) => segment.hyp);
  const refs = golden.segments.map((segment) => segment.refs[0] ?? '');

  it.each(golden.segments.map((segment, i) => [i, segment] as const))('segment %i', (_, segment) => {
    expect(sentenceBleu(segment.hyp, segment.refs).score).toBeCloseTo(segment.sentenceBleu, 8);
    expect(sentenceChrf(segment.hyp, segment.refs).score).toBeCloseTo(segment.chrf, 8);
    expect(sentenceChrf(segment.hyp, segment.refs, { wordOrder: 2 }).score).toBeCloseTo(segment.chrfpp, 8);
  });

  it('corpus BLEU, chrF and chrF++', () => {
    const { bleu, chrf } = scoreCorpus(hyps, refs);
    expect(bleu.score).toBeCloseTo(golden.corpus.bleu, 8);
    expect(bleu.bp).toBeCloseTo(golden.corpus.bp, 10);
    expect([bleu.counts, bleu.totals, bleu.sysLen, bleu.refLen]).toEqual([
      golden.corpus.counts,
      golden.corpus.totals,
      golden.corpus.sysLen,
      golden.corpus.refLen,
    ]);
    expect(chrf).toBeCloseTo(golden.corpus.chrf, 8);
    expect(corpusChrf(hyps, refs, { wordOrder: 2 }).score).toBeCloseTo(golden.corpus.chrfpp, 8);
  });
});
