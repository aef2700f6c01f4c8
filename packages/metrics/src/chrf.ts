// chrFβ = (1 + β²) · chrP · chrR / (β² · chrP + chrR), chrP and chrR averaged over the character
// n-gram orders 1..6 (Popović 2015), plus word 1- and 2-grams for chrF++ (Popović 2017);
// ported from sacreBLEU 2.6.0 sacrebleu/metrics/chrf.py.
import { codePoints, countCharNgrams, countNgrams, pySplit } from './python-text.ts';
import { toSegments, type References } from './references.ts';
import { formatSignature } from './signature.ts';

export interface ChrfOptions {
  readonly charOrder?: number; // 6: Popović 2015
  readonly wordOrder?: number; // 0: chrF; 2 is chrF++ (Popović 2017)
  readonly beta?: number; // 2: recall counts twice as much as precision (WMT16, W16-2341)
  readonly lowercase?: boolean; // false: case matters
  readonly whitespace?: boolean; // false: whitespace is removed before character n-grams
  // false (sacreBLEU >= 2.0 default): average P and R over the orders that have n-grams on both sides;
  // true: chrF++.py / NLTK / Moses, mean of per-order F with empty orders counted as eps.
  readonly epsSmoothing?: boolean;
}

export interface ChrfResult {
  /** chrF in [0, 100]. */
  readonly score: number;
  /** e.g. `chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0` */
  readonly signature: string;
}

interface Resolved {
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  readonly lowercase: boolean;
  readonly whitespace: boolean;
  readonly epsSmoothing: boolean;
}

// Python's string.punctuation, which chrF++'s word splitter peels off word edges.
const PUNCTUATION = new Set(codePoints('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'));
const EPS = 1e-16;

/** Corpus chrF: statistics summed over segments, one F-score at the end (sacreBLEU >= 2.0). */
export function corpusChrf(hypotheses: readonly string[], references: References, options: ChrfOptions = {}): ChrfResult {
  const o = resolve(options);
  const { segments, nrefs } = toSegments(hypotheses, references);
  const sums = new Array<number>(3 * (o.charOrder + o.wordOrder)).fill(0);
  for (const segment of segments) {
    segmentStatistics(segment.hypothesis, segment.references, o).forEach((value, k) => (sums[k] = (sums[k] ?? 0) + value));
  }
  return { score: fScore(sums, o), signature: chrfSignature(nrefs, options) };
}

/** Sentence chrF: the best-scoring reference's statistics. */
export function sentenceChrf(hypothesis: string, references: readonly string[], options: ChrfOptions = {}): ChrfResult {
  return corpusChrf([hypothesis], references.map((reference) => [reference]), options);
}

export function chrfSignature(nrefs: number | 'var', options: ChrfOptions = {}): string {
  const o = resolve(options);
  return formatSignature(`chrF${o.beta}${'+'.repeat(o.wordOrder)}`, nrefs, [
    ['case', o.lowercase ? 'lc' : 'mixed'],
    ['eff', o.epsSmoothing ? 'no' : 'yes'],
    ['nc', o.charOrder],
    ['nw', o.wordOrder],
    ['space', o.whitespace ? 'yes' : 'no'],
  ]);
}

function resolve(options: ChrfOptions): Resolved {
  return {
    charOrder: options.charOrder ?? 6,
    wordOrder: options.wordOrder ?? 0,
    beta: options.beta ?? 2,
    lowercase: options.lowercase ?? false,
    whitespace: options.whitespace ?? false,
    epsSmoothing: options.epsSmoothing ?? false,
  };
}

/** [hyp, ref, match] per order (characters 1..charOrder, then words 1..wordOrder), best reference by F. */
function segmentStatistics(hypothesis: string, references: readonly string[], o: Resolved): number[] {
  const hypNgrams = extractNgrams(hypothesis, o);
  let best: number[] = [];
  let bestF = -1;
  for (const reference of references) {
    const refNgrams = extractNgrams(reference, o);
    const stats = hypNgrams.flatMap((hyp, i) => matchStatistics(hyp, refNgrams[i] ?? new Map()));
    const f = fScore(stats, o);
    if (f > bestF) {
      bestF = f;
      best = stats;
    }
  }
  return best;
}

function extractNgrams(sentence: string, o: Resolved): Map<string, number>[] {
  const text = o.lowercase ? sentence.toLowerCase() : sentence;
  const chars = o.whitespace ? text : pySplit(text).join('');
  const grams = range(o.charOrder).map((n) => countCharNgrams(chars, n));
  if (o.wordOrder > 0) {
    const words = splitPunctuation(text);
    grams.push(...range(o.wordOrder).map((n) => countNgrams(words, n, ' ')));
  }
  return grams;
}

function matchStatistics(hyp: Map<string, number>, ref: Map<string, number>): number[] {
  let hypCount = 0;
  let matches = 0;
  for (const [gram, count] of hyp) {
    hypCount += count;
    matches += Math.min(count, ref.get(gram) ?? 0);
  }
  let refCount = 0;
  for (const count of ref.values()) refCount += count;
  // A reference too short for this order claims no hypothesis n-grams either (as sacreBLEU counts).
  return [ref.size > 0 ? hypCount : 0, refCount, matches];
}

// chrF++'s primitive word tokenizer (github.com/m-popovic/chrF): one punctuation mark comes off the
// end of a word, else off its start; so '(hi)' gives '(hi' and ')' (sacreBLEU issue #124).
function splitPunctuation(sentence: string): string[] {
  const words: string[] = [];
  for (const word of pySplit(sentence)) {
    const chars = codePoints(word);
    const first = chars[0] ?? '';
    const last = chars[chars.length - 1] ?? '';
    if (chars.length === 1) words.push(word);
    else if (PUNCTUATION.has(last)) words.push(chars.slice(0, -1).join(''), last);
    else if (PUNCTUATION.has(first)) words.push(first, chars.slice(1).join(''));
    else words.push(word);
  }
  return words;
}

function fScore(stats: readonly number[], o: Resolved): number {
  const factor = o.beta ** 2;
  const order = o.charOrder + o.wordOrder;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i] ?? 0;
    const nRef = stats[3 * i + 1] ?? 0;
    const nMatch = stats[3 * i + 2] ?? 0;
    const prec = nHyp > 0 ? nMatch / nHyp : EPS;
    const rec = nRef > 0 ? nMatch / nRef : EPS;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : EPS;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder += 1;
    }
  }
  if (o.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) return 0;
  avgPrec /= effectiveOrder;
  avgRec /= effectiveOrder;
  if (avgPrec + avgRec === 0) return 0;
  const f = ((1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec);
  return 100 * f;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}
