// Dynamic Beam Allocation (Post & Vilar 2018, §3): constrained beam search at a fixed beam width W,
// whatever the number of constraints (grid beam search, Hokamp & Liu 2017, needs a beam per count of
// met constraint tokens). Per step and per source sentence:
//   1) candidates: the W best extensions over all beams, each beam's best extension, and each beam's
//      extensions by a token that produces one more constraint token,
//   2) banks: a candidate goes to bank b = met constraint tokens (0..C); each bank gets W / (C + 1)
//      slots, the remainder to bank C,
//   3) slots a bank cannot fill go to the other banks, the fullest first,
//   4) each bank keeps its best candidates by log-probability.
// Without constraints (C = 0) this is ordinary beam search over the W best and each beam's best.
import type { ConstraintState, Constraints } from './constraint-state.ts';

/** One possible next hypothesis: beam `parent` extended by `token`; `logProb` is the extended hypothesis' sum. */
export interface Candidate {
  readonly parent: number;
  readonly token: number;
  readonly logProb: number;
}

/** A live hypothesis of one source sentence: its log-probability so far and its constraint state. */
export interface ConstrainedBeam {
  readonly logProb: number;
  readonly state: ConstraintState;
}

export interface Allocated extends Candidate {
  /** The hypothesis' constraint state after `token`. */
  readonly state: ConstraintState;
}

/**
 * Step 1) `rows[i]` holds log p(token | beam i) over the vocabulary, banned tokens at -Infinity. EOS
 * is a candidate only for a beam that has met every constraint.
 */
export function constrainedCandidates(beams: readonly ConstrainedBeam[], rows: readonly Float64Array[], constraints: Constraints, width: number, eos: number): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const add = (parent: number, token: number) => {
    const logProb = beams[parent]!.logProb + rows[parent]![token]!;
    if (logProb === -Infinity || seen.has(`${parent}:${token}`)) return;
    if (token === eos && !constraints.allMet(beams[parent]!.state)) return;
    seen.add(`${parent}:${token}`);
    out.push({ parent, token, logProb });
  };
  for (const { parent, token } of bestOverall(beams, rows, constraints, width, eos)) add(parent, token);
  for (const [parent, beam] of beams.entries()) {
    const best = bestToken(rows[parent]!, constraints.allMet(beam.state) ? -1 : eos);
    if (best >= 0) add(parent, best);
    for (const token of constraints.advancing(beam.state)) add(parent, token);
  }
  return out;
}

/** Steps 2-4): the at most `width` candidates that become the next beams, best first. */
export function allocateBeams(candidates: readonly Candidate[], beams: readonly ConstrainedBeam[], constraints: Constraints, width: number): Allocated[] {
  const banks: Allocated[][] = Array.from({ length: constraints.totalTokens + 1 }, () => []);
  for (const candidate of candidates) {
    const state = constraints.advance(beams[candidate.parent]!.state, candidate.token);
    banks[constraints.met(state)]!.push({ ...candidate, state });
  }
  for (const bank of banks) bank.sort((a, b) => b.logProb - a.logProb);
  const sizes = bankSizes(banks.map((bank) => bank.length), width);
  return banks.flatMap((bank, b) => bank.slice(0, sizes[b])).sort((a, b) => b.logProb - a.logProb);
}

/** Slots per bank: W / (C + 1) each and the remainder to the top bank, then unfillable slots moved to the fullest banks. */
export function bankSizes(available: readonly number[], width: number): number[] {
  const banks = available.length;
  const sizes = available.map(() => Math.floor(width / banks));
  sizes[banks - 1]! += width - sizes[0]! * banks;
  let spare = 0;
  for (const [b, size] of sizes.entries()) {
    const kept = Math.min(size, available[b]!);
    spare += size - kept;
    sizes[b] = kept;
  }
  // Round-robin from the top bank down: hypotheses that met more constraints are closer to done.
  for (let moved = true; spare > 0 && moved; ) {
    moved = false;
    for (let b = banks - 1; b >= 0 && spare > 0; b--) {
      if (sizes[b]! >= available[b]!) continue;
      sizes[b]!++;
      spare--;
      moved = true;
    }
  }
  return sizes;
}

/** The `width` best (beam, token) pairs over all beams; EOS only where the beam may end. */
function bestOverall(beams: readonly ConstrainedBeam[], rows: readonly Float64Array[], constraints: Constraints, width: number, eos: number): Candidate[] {
  const top: Candidate[] = [];
  for (const [parent, beam] of beams.entries()) {
    const row = rows[parent]!;
    const mayEnd = constraints.allMet(beam.state);
    for (let token = 0; token < row.length; token++) {
      if (token === eos && !mayEnd) continue;
      const logProb = beam.logProb + row[token]!;
      if (logProb === -Infinity || (top.length === width && logProb <= top[width - 1]!.logProb)) continue;
      let at = top.length;
      while (at > 0 && top[at - 1]!.logProb < logProb) at--;
      top.splice(at, 0, { parent, token, logProb });
      if (top.length > width) top.pop();
    }
  }
  return top;
}

function bestToken(row: Float64Array, skip: number): number {
  let best = -1;
  for (let token = 0; token < row.length; token++) if (token !== skip && row[token]! > -Infinity && (best < 0 || row[token]! > row[best]!)) best = token;
  return best;
}

/** Steps 1-4) for one source sentence: the next beams (EOS among them closes a hypothesis), best first. */
export function nextConstrainedBeams(beams: readonly ConstrainedBeam[], rows: readonly Float64Array[], constraints: Constraints, width: number, eos: number): Allocated[] {
  return allocateBeams(constrainedCandidates(beams, rows, constraints, width, eos), beams, constraints, width);
}
