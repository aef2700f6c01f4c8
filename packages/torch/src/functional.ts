// torch.nn.functional
import { native } from './native.ts';
import { handleOf, Tensor } from './tensor.ts';

/** Rows of weight [vocab, d] picked by ids; the paddingIdx row gets no gradient. */
export function embedding(ids: Tensor, weight: Tensor, paddingIdx?: number): Tensor {
  return new Tensor(native.embedding(handleOf(ids), handleOf(weight), paddingIdx));
}

/** y = x W^T + b, with weight [out, in]. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  return new Tensor(native.linear(handleOf(x), handleOf(weight), bias && handleOf(bias)));
}

/** (x - E[x]) / sqrt(Var[x] + eps) * weight + bias over the last normalizedShape.length dims. */
export function layerNorm(x: Tensor, normalizedShape: number[], weight?: Tensor, bias?: Tensor, eps = 1e-5): Tensor {
  return new Tensor(
    native.layerNorm(handleOf(x), normalizedShape, weight && handleOf(weight), bias && handleOf(bias), eps),
  );
}

/** Zeroes each element with probability p and scales the rest by 1/(1-p); identity when not training. */
export function dropout(x: Tensor, p: number, training: boolean): Tensor {
  return new Tensor(native.dropout(handleOf(x), p, training));
}

export function relu(x: Tensor): Tensor {
  return x.relu();
}

/** x * sigmoid(x) (swish). */
export function silu(x: Tensor): Tensor {
  return new Tensor(native.silu(handleOf(x)));
}

export function softmax(x: Tensor, dim: number): Tensor {
  return x.softmax(dim);
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  return x.logSoftmax(dim);
}

export interface CrossEntropyOptions {
  /** Targets equal to this contribute nothing (and are left out of the mean). Default -100. */
  ignoreIndex?: number;
  /** eps of label smoothing: the target distribution is (1 - eps) one-hot + eps / classes. Default 0. */
  labelSmoothing?: number;
  reduction?: 'mean' | 'sum' | 'none';
}

// at::Reduction codes.
const REDUCTIONS = { none: 0, mean: 1, sum: 2 } as const;

/** logits [N, C], targets [N] int64. */
export function crossEntropy(logits: Tensor, targets: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const reduction = REDUCTIONS[opts.reduction ?? 'mean'];
  return new Tensor(
    native.crossEntropy(handleOf(logits), handleOf(targets), reduction, opts.ignoreIndex ?? -100, opts.labelSmoothing ?? 0),
  );
}
