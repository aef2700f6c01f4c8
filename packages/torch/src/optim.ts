import { native, type OptimizerHandle } from './native.ts';
import { handleOf, Tensor } from './tensor.ts';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay?: number;
  /** AdamW (Loshchilov & Hutter 2019): decay the weights directly instead of adding wd * p to the gradient. */
  decoupledWeightDecay?: boolean;
}

export interface AdamState {
  step: number;
  /** exp_avg and exp_avg_sq of each parameter, in parameter order: [m0, v0, m1, v1, ...]. */
  tensors: Tensor[];
}

/** Adam (Kingma & Ba 2015) or AdamW, run by libtorch's torch::optim in C++. */
export class Adam {
  readonly #handle: OptimizerHandle;
  readonly #paramCount: number;

  constructor(params: Tensor[], opts: AdamOptions) {
    const [beta1, beta2] = opts.betas;
    this.#paramCount = params.length;
    this.#handle = native.adamNew(
      params.map(handleOf),
      opts.lr,
      beta1,
      beta2,
      opts.eps,
      opts.weightDecay ?? 0,
      opts.decoupledWeightDecay ?? false,
    );
  }

  step(): void {
    native.adamStep(this.#handle);
  }

  /** Sets every gradient to null (PyTorch's set_to_none): the next backward writes them afresh. */
  zeroGrad(): void {
    native.adamZeroGrad(this.#handle);
  }

  setLr(lr: number): void {
    native.adamSetLr(this.#handle, lr);
  }

  getLr(): number {
    return native.adamGetLr(this.#handle);
  }

  /** Copies of the moments (the caller disposes them); zeros and step 0 before the first step. */
  stateDict(): AdamState {
    const { step, tensors } = native.adamStateDict(this.#handle);
    return { step, tensors: tensors.map((handle) => new Tensor(handle)) };
  }

  loadStateDict(state: AdamState): void {
    if (state.tensors.length !== 2 * this.#paramCount) {
      throw new RangeError(`loadStateDict: expected ${2 * this.#paramCount} tensors, got ${state.tensors.length}`);
    }
    native.adamLoadStateDict(this.#handle, state.step, state.tensors.map(handleOf));
  }
}

/** Scales all gradients together so that their global L2 norm is at most maxNorm; returns the norm before. */
export function clipGradNorm(params: Tensor[], maxNorm: number): number {
  return native.clipGradNorm(params.map(handleOf), maxNorm);
}
