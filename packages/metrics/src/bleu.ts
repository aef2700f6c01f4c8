// BLEU = BP · exp( Σ_{n=1..N} log p_n / N ),  BP = min(1, exp(1 − r/c))   (Papineni et al. 2002, §2)
// ported from sacreBLEU 2.6.0 sacrebleu/metrics/bleu.py (`BLEU.compute_bleu` and the segment statistics).
import { countNgrams, pyRstrip, pySplit } from './python-text.ts';
import { toSegments, type References } from './references.ts';
import { formatSignature } from './signature.ts';
import { getTokenizer, type TokenizerName } from './tokenizers.ts';

/** Chen & Cherry (2014) smoothing: none, floor (method 1), add-k (method 2), exp (method 3, mteval's). */
export type SmoothMethod = 'none' | 'floor' | 'add-k' | 'exp';

export interface BleuOptions {
  readonly lowercase?: boolean; // false: case matters, sacreBLEU's default
  readonly tokenize?: TokenizerName; // '13a': mteval-v13a, the WMT standard
  readonly smoothMethod?: SmoothMethod; // 'exp': what mteval-v13a does
  readonly smoothValue?: number; // undefined: 0.1 for floor, 1 for add-k (Chen & Cherry 2014)
  readonly maxNgramOrder?: number; // 4: the paper's N
  readonly effectiveOrder?: boolean; // false for a corpus; sentenceBleu turns it on, as sacreBLEU advises
}

export interface BleuScore {
  /** BLEU in [0, 100]. */
  readonly score: number;
  /** Clipped n-gram matches for n = 1..N (with add-k, including the added k, as sacreBLEU reports them). */
  readonly counts: readonly number[];
  /** Hypothesis n-grams for n = 1..N (with add-k, including the added k). */
  readonly totals: readonly number[];
  /** p_n in percent. */
  readonly precisions: readonly number[];
  readonly bp: number;
  readonly sysLen: number;
  /** Σ of the reference length closest to each hypothesis (the shorter one on ties). */
  readonly refLen: number;
}

export interface BleuResult extends BleuScore {
  /** e.g. `BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0` */
  readonly signature: string;
}

const SMOOTH_DEFAULTS: Readonly<Record<SmoothMethod, number | undefined>> = {
  none: undefined,
  floor: 0.1,
  'add-k': 1,
  exp: undefined,
};

// sacreBLEU's `my_log`: log 0 is floored so that a zero precision drives the score to 0, not NaN.
function floorLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/** sacreBLEU's `BLEU.compute_bleu`: the score from summed sufficient statistics. */
export function computeBleu(
  counts: readonly number[],
  totals: readonly number[],
  sysLen: number,
  refLen: number,
  options: BleuOptions = {},
): BleuScore {
  const method = options.smoothMethod ?? 'exp';
  const smoothValue = options.smoothValue ?? SMOOTH_DEFAULTS[method] ?? 0;
  const maxOrder = options.maxNgramOrder ?? 4;
  const correct = [...counts];
  const total = [...totals];
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(maxOrder).fill(0);
  const result = { counts: correct, totals: total, precisions, bp, sysLen, refLen };
  // No match at any order scores 0 whatever the smoothing (sacreBLEU issue #141).
  if (correct.every((c) => c === 0)) return { score: 0, ...result };

  let smoothMteval = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    const i = n - 1;
    if (method === 'add-k' && n > 1) {
      correct[i] = at(correct, i) + smoothValue;
      total[i] = at(total, i) + smoothValue;
    }
    const c = at(correct, i);
    const t = at(total, i);
    // Hypotheses shorter than n words leave no n-grams: stop; with effective order, so does the mean.
    if (t === 0) break;
    if (options.effectiveOrder) effOrder = n;
    if (c === 0) {
      if (method === 'exp') {
        // mteval-v13a: the k-th order without a match gets precision 1 / (2^k · total)
        smoothMteval *= 2;
        precisions[i] = 100 / (smoothMteval * t);
      } else if (method === 'floor') {
        precisions[i] = (100 * smoothValue) / t;
      }
    } else {
      precisions[i] = (100 * c) / t;
    }
  }
  let logSum = 0;
  for (let i = 0; i < effOrder; i++) logSum += floorLog(at(precisions, i));
  return { score: bp * Math.exp(logSum / effOrder), ...result };
}

/** Corpus BLEU with sacreBLEU's defaults (13a, exp smoothing, N = 4, case-sensitive). */
export function corpusBleu(hypotheses: readonly string[], references: References, options: BleuOptions = {}): BleuResult {
  const maxOrder = options.maxNgramOrder ?? 4;
  const tokenizer = getTokenizer(options.tokenize ?? '13a');
  const preprocess = (sentence: string): string[] =>
    pySplit(tokenizer(pyRstrip(options.lowercase ? sentence.toLowerCase() : sentence)));
  const { segments, nrefs } = toSegments(hypotheses, references);

  // [sysLen, refLen, correct_1..N, total_1..N], summed over segments as sacreBLEU's `sum_of_lists`.
  const sums = new Array<number>(2 + 2 * maxOrder).fill(0);
  for (const segment of segments) {
    const stats = segmentStatistics(preprocess(segment.hypothesis), segment.references.map(preprocess), maxOrder);
    stats.forEach((value, k) => (sums[k] = at(sums, k) + value));
  }
  const score = computeBleu(sums.slice(2, 2 + maxOrder), sums.slice(2 + maxOrder), at(sums, 0), at(sums, 1), options);
  return { ...score, signature: bleuSignature(nrefs, options) };
}

/** Sentence BLEU as sacreBLEU's `sentence_bleu`: effective order on unless turned off. */
export function sentenceBleu(hypothesis: string, references: readonly string[], options: BleuOptions = {}): BleuResult {
  return corpusBleu([hypothesis], references.map((reference) => [reference]), { effectiveOrder: true, ...options });
}

export function bleuSignature(nrefs: number | 'var', options: BleuOptions = {}): string {
  const method = options.smoothMethod ?? 'exp';
  const smoothDefault = SMOOTH_DEFAULTS[method];
  const smooth = smoothDefault === undefined ? method : `${method}[${(options.smoothValue ?? smoothDefault).toFixed(2)}]`;
  return formatSignature('BLEU', nrefs, [
    ['case', options.lowercase ? 'lc' : 'mixed'],
    ['eff', options.effectiveOrder ? 'yes' : 'no'],
    ['tok', options.tokenize ?? '13a'],
    ['smooth', smooth],
  ]);
}

function segmentStatistics(hypothesis: readonly string[], references: readonly (readonly string[])[], maxOrder: number): number[] {
  // Each reference n-gram may be matched as often as it occurs in the reference that has it most.
  const refNgrams = orders(maxOrder).map(() => new Map<string, number>());
  for (const reference of references) {
    orders(maxOrder).forEach((n, i) => {
      const merged = at(refNgrams, i);
      for (const [gram, count] of countNgrams(reference, n, ' ')) merged.set(gram, Math.max(merged.get(gram) ?? 0, count));
    });
  }
  const correct = orders(maxOrder).map(() => 0);
  const total = orders(maxOrder).map(() => 0);
  orders(maxOrder).forEach((n, i) => {
    const merged = at(refNgrams, i);
    for (const [gram, count] of countNgrams(hypothesis, n, ' ')) {
      total[i] = at(total, i) + count;
      correct[i] = at(correct, i) + Math.min(count, merged.get(gram) ?? 0);
    }
  });
  const refLen = closestRefLen(hypothesis.length, references.map((reference) => reference.length));
  return [hypothesis.length, refLen, ...correct, ...total];
}

function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const refLen of refLens) {
    const diff = Math.abs(hypLen - refLen);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = refLen;
    } else if (diff === closestDiff && refLen < closestLen) {
      closestLen = refLen;
    }
  }
  return closestLen;
}

function orders(maxOrder: number): number[] {
  return Array.from({ length: maxOrder }, (_, i) => i + 1);
}

function at<T>(values: readonly T[], i: number): T {
  const value = values[i];
  if (value === undefined) throw new RangeError(`statistic ${i} is missing: pass one value per n-gram order.`);
  return value;
}
