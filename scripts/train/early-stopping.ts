// Keeps the best validation figure and stops after `patience` validations without improvement.
// Its state goes into every checkpoint, so a resumed run counts patience where the killed one stood.

export type BestMetric = 'loss' | 'bleu' | 'chrf';

export interface StoppingState {
  readonly best: number | null;
  readonly bestStep: number | null;
  readonly badValidations: number;
}

export const NO_VALIDATION: StoppingState = { best: null, bestStep: null, badValidations: 0 };

export class EarlyStopping {
  private current: StoppingState;

  constructor(
    readonly metric: BestMetric,
    private readonly patience: number, // 0 = never stop early
    from: StoppingState = NO_VALIDATION,
  ) {
    this.current = from;
  }

  /** 'loss' is the dev cross-entropy: lower is better; BLEU and chrF: higher is better. */
  observe(step: number, value: number): { improved: boolean; stop: boolean } {
    const { best } = this.current;
    const improved = best === null || (this.metric === 'loss' ? value < best : value > best);
    this.current = improved
      ? { best: value, bestStep: step, badValidations: 0 }
      : { ...this.current, badValidations: this.current.badValidations + 1 };
    return { improved, stop: this.patience > 0 && this.current.badValidations >= this.patience };
  }

  get state(): StoppingState {
    return this.current;
  }
}
