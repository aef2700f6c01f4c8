// Dropout(x) = x ⊙ m / (1 - p), m ~ Bernoulli(1 - p), in training only   (Srivastava et al. 2014; Vaswani et al. 2017, §5.4)
import { torch, type Tensor } from '@attend/torch';

/** Shared by every block of one model; Transformer.train(on) flips it. */
export interface Mode {
  training: boolean;
}

/** Skips the op entirely when it would be the identity: one fewer tensor per call at eval and p = 0. */
export function dropout(x: Tensor, p: number, mode: Mode): Tensor {
  if (!mode.training || p === 0) return x;
  return torch.F.dropout(x, p, true);
}
