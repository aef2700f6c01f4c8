// Which target-side constraints a hypothesis has met (Hokamp & Liu 2017 §3; Post & Vilar 2018 §2): a
// constraint is a token sequence (a glossary's target term) that must appear, contiguous, in the output.
// A hypothesis that starts a constraint is "in progress" on it; a token that does not continue the
// constraint undoes that progress (the tokens generated stay, they only stop counting), and a finished
// constraint stays met. met(state) counts the constraint tokens a hypothesis has produced: Dynamic Beam
// Allocation banks hypotheses by it.

export type Phrase = readonly number[];

export interface ConstraintState {
  /** Per constraint, whether the hypothesis contains it. */
  readonly met: readonly boolean[];
  /** The constraint being produced, and how many of its tokens are produced; undefined when none. */
  readonly progress?: { readonly phrase: number; readonly at: number } | undefined;
}

/** The constraints of one source sentence; every phrase non-empty. */
export class Constraints {
  readonly phrases: readonly Phrase[];
  /** Tokens over all phrases: a hypothesis that met every constraint has met(state) === totalTokens. */
  readonly totalTokens: number;

  constructor(phrases: readonly Phrase[]) {
    if (phrases.some((p) => p.length === 0)) throw new RangeError('a constraint must hold at least one token');
    this.phrases = phrases;
    this.totalTokens = phrases.reduce((sum, p) => sum + p.length, 0);
  }

  /** Before the first token: nothing met, nothing in progress. */
  start(): ConstraintState {
    return { met: this.phrases.map(() => false) };
  }

  /** The state after generating `token`. */
  advance(state: ConstraintState, token: number): ConstraintState {
    // 1) continue the constraint in progress, or another unmet one sharing the tokens produced so far,
    const at = state.progress?.at ?? 0;
    const continued = state.progress ? this.#continuing(state, token) : undefined;
    // 2) else (and after undoing any progress) start an unmet constraint whose first token this is.
    const next = continued ?? this.#startingWith(state, token);
    if (next === undefined) return state.progress ? { met: state.met } : state;
    const produced = continued === undefined ? 1 : at + 1;
    if (produced < this.phrases[next]!.length) return { met: state.met, progress: { phrase: next, at: produced } };
    return { met: state.met.map((m, i) => m || i === next) };
  }

  /** Constraint tokens produced: those of met constraints and of the one in progress. */
  met(state: ConstraintState): number {
    let tokens = state.progress?.at ?? 0;
    for (const [i, met] of state.met.entries()) if (met) tokens += this.phrases[i]!.length;
    return tokens;
  }

  /** Whether the hypothesis may end (EOS): every constraint met. */
  allMet(state: ConstraintState): boolean {
    return state.met.every(Boolean);
  }

  /** The tokens that would produce one more constraint token (Post & Vilar's candidates of type 2). */
  advancing(state: ConstraintState): number[] {
    const tokens = new Set<number>();
    const at = state.progress?.at ?? 0;
    if (state.progress) for (const i of this.#sharingPrefix(state)) tokens.add(this.phrases[i]![at]!);
    for (const [i, met] of state.met.entries()) if (!met) tokens.add(this.phrases[i]![0]!);
    return [...tokens];
  }

  /** The unmet constraint (the one in progress first) whose produced prefix `token` continues. */
  #continuing(state: ConstraintState, token: number): number | undefined {
    const at = state.progress!.at;
    return this.#sharingPrefix(state).find((i) => this.phrases[i]![at] === token);
  }

  /** Unmet constraints that begin with the tokens produced of the one in progress, that one first. */
  #sharingPrefix(state: ConstraintState): number[] {
    const { phrase, at } = state.progress!;
    const produced = this.phrases[phrase]!.slice(0, at);
    const others = this.phrases.flatMap((p, i) => (i !== phrase && !state.met[i] && p.length > at && produced.every((t, k) => p[k] === t) ? [i] : []));
    return [phrase, ...others];
  }

  #startingWith(state: ConstraintState, token: number): number | undefined {
    const i = this.phrases.findIndex((p, i) => !state.met[i] && p[0] === token);
    return i < 0 ? undefined : i;
  }
}
