// The per-source choice at the heart of beam search, kept apart so that another rule can replace it
// (GenerationOptions.selectCandidates): constrained decoding, for one, chooses differently here.
// The default, steps 1) and 2) of beam-search.ts:
//   1) every beam proposes its 2W best next tokens, scored beam log-prob + ln p(token),
//   2) walk the proposals best first: an EOS among the first W closes a hypothesis, scored
//      sum(ln p) / |Y|^alpha with |Y| counting EOS; other tokens extend the beam until W are live.
import { topK } from './scores.ts';

/** A live hypothesis: the ids so far (no EOS) and the ln p of each. */
export interface Beam {
  readonly ids: readonly number[];
  readonly tokenLogProbs: readonly number[];
  /** The sum of tokenLogProbs. */
  readonly logProb: number;
}

/** A finished hypothesis: `ids` without EOS; tokenLogProbs and logProb count EOS. */
export interface Hypothesis extends Beam {
  readonly score: number;
}

/** One source at one step, as a candidate selection sees it. */
export interface BeamStep {
  /** The live beams, in row order. */
  readonly beams: readonly Beam[];
  /** Per beam, ln p of every next token; -Infinity where the rules forbid it (banned, or all but EOS at the length limit). */
  readonly logProbs: readonly Float64Array[];
  readonly width: number;
  readonly eos: number;
  readonly lengthPenalty: number;
}

export interface BeamSelection {
  /** The next live beams, at most `width`. */
  readonly beams: readonly Beam[];
  /** For each next beam, the index of the beam (row) it extends. */
  readonly parents: readonly number[];
  /** Hypotheses that ended at this step. */
  readonly closed: readonly Hypothesis[];
}

export type SelectCandidates = (step: BeamStep) => BeamSelection;

interface Candidate {
  readonly parent: number;
  readonly token: number;
  readonly tokenLogProb: number;
  readonly logProb: number;
}

export const selectTopCandidates: SelectCandidates = (step) => {
  const { beams, width, eos } = step;
  const candidates: Candidate[] = [];
  for (const [parent, beam] of beams.entries()) {
    const logProbs = step.logProbs[parent]!;
    // at most W of the 2W are EOS, so W can stay live
    for (const token of topK(logProbs, 2 * width)) {
      candidates.push({ parent, token, tokenLogProb: logProbs[token]!, logProb: beam.logProb + logProbs[token]! });
    }
  }
  candidates.sort((a, b) => b.logProb - a.logProb);
  const next: Beam[] = [];
  const parents: number[] = [];
  const closed: Hypothesis[] = [];
  for (const [rank, candidate] of candidates.entries()) {
    if (next.length === width) break;
    const beam = beams[candidate.parent]!;
    const tokenLogProbs = [...beam.tokenLogProbs, candidate.tokenLogProb];
    if (candidate.token === eos) {
      if (rank >= width) continue;
      const score = candidate.logProb / tokenLogProbs.length ** step.lengthPenalty;
      closed.push({ ids: beam.ids, tokenLogProbs, logProb: candidate.logProb, score });
    } else {
      next.push({ ids: [...beam.ids, candidate.token], tokenLogProbs, logProb: candidate.logProb });
      parents.push(candidate.parent);
    }
  }
  return { beams: next, parents, closed };
};
