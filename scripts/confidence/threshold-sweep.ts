// How well a confidence score separates doubtful words (absent from the reference) from the rest:
// precision, recall and F1 of "doubtful = score < t" for each threshold t, and the ROC AUC.

export interface Point {
  readonly score: number;
  /** The word is absent from the reference. */
  readonly doubtful: boolean;
}

export interface Cut {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** F-beta with beta 0.5: precision weighs twice as much as recall. */
  readonly f05: number;
  /** Share of all words marked. */
  readonly marked: number;
}

export function cutAt(points: readonly Point[], threshold: number): Cut {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const p of points) {
    const marked = p.score < threshold;
    if (marked && p.doubtful) tp++;
    else if (marked) fp++;
    else if (p.doubtful) fn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const fBeta = (b2: number) => (precision + recall === 0 ? 0 : ((1 + b2) * precision * recall) / (b2 * precision + recall));
  return { threshold, precision, recall, f1: fBeta(1), f05: fBeta(0.25), marked: (tp + fp) / points.length };
}

/** Probability that a random doubtful word scores lower than a random other one (ties count half). */
export function rocAuc(points: readonly Point[]): number {
  const sorted = [...points].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const meanRank = (i + j + 1) / 2; // 1-based ranks i+1..j
    for (let k = i; k < j; k++) if (sorted[k]!.doubtful) {
      rankSum += meanRank;
      positives++;
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  // Mann-Whitney U of the doubtful words' ranks, counted from the low end.
  const u = rankSum - (positives * (positives + 1)) / 2;
  return 1 - u / (positives * negatives);
}

/** The threshold among 0.05, 0.10, ... 0.95 where `measure` is highest. */
export function bestCut(points: readonly Point[], measure: (cut: Cut) => number): Cut {
  const cuts = Array.from({ length: 19 }, (_, i) => cutAt(points, (i + 1) / 20));
  return cuts.reduce((best, cut) => (measure(cut) > measure(best) ? cut : best));
}
