/**
 * References for a corpus: either one reference per hypothesis (`string[]`), or sacreBLEU's layout,
 * a list of reference streams, each parallel to the hypotheses (`refs[k][i]` is reference k of
 * segment i). A `null` in a stream means that segment has fewer references ("nrefs:var").
 */
export type References = readonly string[] | readonly (readonly (string | null)[])[];

/** The signature's reference count: a number, or `var` when segments have different counts. */
export type RefCount = number | 'var';

export interface Segment {
  readonly hypothesis: string;
  /** In stream order, nulls removed; never empty. */
  readonly references: readonly string[];
}

export interface Segments {
  readonly segments: readonly Segment[];
  readonly nrefs: RefCount;
}

/** Checks shapes the way sacreBLEU's `_check_corpus_score_args` does and regroups by segment. */
export function toSegments(hypotheses: readonly string[], references: References): Segments {
  if (hypotheses.length === 0) throw new TypeError('`hypotheses` should not be empty: pass one string per segment.');
  if (references.length === 0) throw new TypeError('`references` should not be empty: pass one string per hypothesis.');
  const streams: readonly (readonly (string | null)[])[] = isSingleStream(references) ? [references] : references;
  for (const stream of streams) {
    if (stream.length !== hypotheses.length) {
      throw new TypeError(
        `each reference stream should have the same length as \`hypotheses\` (${hypotheses.length}), got ${stream.length}.`,
      );
    }
  }
  const counts = new Set<number>();
  const segments = hypotheses.map((hypothesis, i) => {
    const refs = streams.map((stream) => stream[i]).filter((ref): ref is string => typeof ref === 'string');
    if (refs.length === 0) throw new TypeError(`segment ${i} has no reference: every hypothesis needs at least one.`);
    counts.add(refs.length);
    return { hypothesis, references: refs };
  });
  const [only] = counts;
  return { segments, nrefs: counts.size === 1 && only !== undefined ? only : 'var' };
}

function isSingleStream(references: References): references is readonly string[] {
  return typeof references[0] === 'string';
}
