// Beam search that must write given target phrases (a glossary's terms), with Dynamic Beam Allocation
// (beam-allocation.ts) as its candidate selection. Per source sentence holding C constraint tokens:
//   1) the beam widens to a bank per forced token, W = max(numBeams, min(maxConstrainedBeams, C + 1)),
//      and the length limit grows by C (room for the forced tokens; maxTokens still caps it),
//   2) alongside, the sentence's unconstrained search runs on its own rows, its events held back,
//   3) once a hypothesis meeting every constraint wins, the constrained one is emitted and the
//      unconstrained rows are dropped; if none met every constraint within the length limit, the
//      unconstrained translation is emitted instead: a glossary never makes a sentence worse than no
//      glossary would.
import { BeamSearch } from '../beam-search.ts';
import type { Beam, Hypothesis, SelectCandidates } from '../beam-candidates.ts';
import { lengthLimit, type ResolvedOptions } from '../options.ts';
import type { LogProbs } from '../scores.ts';
import type { Footprint, SearchStep, SourceSearch } from '../search.ts';
import type { GenerationEvent } from '../translation.ts';
import { nextConstrainedBeams } from './beam-allocation.ts';
import { type ConstraintState, Constraints, type Phrase } from './constraint-state.ts';

/** DBA as a `selectCandidates`: each beam's constraint state follows from its ids (kept per beam object, so each is computed once). */
export function selectWithConstraints(constraints: Constraints): SelectCandidates {
  const states = new WeakMap<Beam, ConstraintState>();
  const stateOf = (beam: Beam) => states.get(beam) ?? beam.ids.reduce((s, t) => constraints.advance(s, t), constraints.start());
  return (step) => {
    const beams: Beam[] = [];
    const parents: number[] = [];
    const closed: Hypothesis[] = [];
    const live = step.beams.map((beam) => ({ logProb: beam.logProb, state: stateOf(beam) }));
    for (const next of nextConstrainedBeams(live, step.logProbs, constraints, step.width, step.eos)) {
      const beam = step.beams[next.parent]!;
      const tokenLogProbs = [...beam.tokenLogProbs, step.logProbs[next.parent]![next.token]!];
      if (next.token === step.eos) {
        closed.push({ ids: beam.ids, tokenLogProbs, logProb: next.logProb, score: next.logProb / tokenLogProbs.length ** step.lengthPenalty });
        continue;
      }
      const extended = { ids: [...beam.ids, next.token], tokenLogProbs, logProb: next.logProb };
      states.set(extended, next.state);
      beams.push(extended);
      parents.push(next.parent);
    }
    return { beams, parents, closed };
  };
}

export class ConstrainedSearch implements SourceSearch {
  readonly #plain: SourceSearch;
  readonly #forced: BeamSearch;
  /** The unconstrained search's events so far: emitted only if the constrained one finds nothing. */
  readonly #held: GenerationEvent[] = [];
  #plainLive = true;
  #forcedLive = true;
  /** Before the first step both searches have one row, decoder start on the encoded source: they share it. */
  #first = true;

  /** `plain`: the search the sentence would get without constraints (startSearch's). */
  constructor(source: readonly number[], index: number, options: ResolvedOptions, phrases: readonly Phrase[], plain: SourceSearch) {
    const constraints = new Constraints(phrases);
    const forced = constraints.totalTokens;
    // Step 1).
    const width = Math.max(options.numBeams, Math.min(options.maxConstrainedBeams, forced + 1));
    const limit = lengthLimit({ ...options, maxLengthOffset: options.maxLengthOffset + forced }, source.length);
    this.#plain = plain;
    this.#forced = new BeamSearch(source, index, options, { width, limit, selectCandidates: selectWithConstraints(constraints) });
  }

  get tokens(): readonly number[] {
    if (this.#first) return this.#plain.tokens;
    return [...(this.#plainLive ? this.#plain.tokens : []), ...(this.#forcedLive ? this.#forced.tokens : [])];
  }

  get footprint(): Footprint {
    const [plain, forced] = [this.#plain.footprint, this.#forced.footprint];
    return { rows: plain.rows + forced.rows, cacheTokens: plain.cacheTokens + forced.cacheTokens };
  }

  advance(logProbs: LogProbs): SearchStep {
    const plainRows = this.#first ? 0 : this.#plainLive ? this.#plain.tokens.length : 0;
    const vocab = logProbs.length / this.tokens.length;
    const parents: number[] = [];
    const shared = this.#first;
    this.#first = false;
    // Step 2).
    if (this.#plainLive) {
      const step = this.#plain.advance(shared ? logProbs : logProbs.subarray(0, plainRows * vocab));
      this.#held.push(...step.events);
      parents.push(...step.parents);
      this.#plainLive = step.parents.length > 0;
    }
    // Step 3).
    if (this.#forcedLive) {
      const step = this.#forced.advance(shared ? logProbs : logProbs.subarray(plainRows * vocab));
      if (step.parents.length === 0) {
        this.#forcedLive = false;
        if (this.#forced.found) return { events: step.events, parents: [] };
      }
      parents.push(...step.parents.map((parent) => parent + plainRows));
    }
    if (!this.#plainLive && !this.#forcedLive) return { events: this.#held, parents: [] };
    return { events: [], parents };
  }
}
