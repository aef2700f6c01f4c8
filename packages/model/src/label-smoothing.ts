// L = (1/N) Σ_t [ (1 - ε) · (-log p(y_t)) + ε · (1/V) Σ_c (-log p(c)) ],  over the N non-pad targets
// (Szegedy et al. 2016; Vaswani et al. 2017, §5.4: ε = 0.1 "hurts perplexity ... but improves accuracy and BLEU")
// libtorch's cross_entropy computes exactly this with label_smoothing = ε and ignore_index = pad, in one
// fused log_softmax + nll kernel, the same kernel PyTorch training uses.
import { torch, type Tensor } from '@attend/torch';

export interface LabelSmoothingOptions {
  /** ε, the probability mass spread uniformly over the vocabulary (paper: 0.1). */
  readonly smoothing: number;
  /** Targets equal to this id contribute neither loss nor gradient, and are not counted in N. */
  readonly padId: number;
}

/** logits [B, T, V], targets [B, T] int64 -> the mean loss per non-pad target token (a scalar tensor). */
export function labelSmoothedLoss(logits: Tensor, targets: Tensor, options: LabelSmoothingOptions): Tensor {
  const V = logits.shape[logits.dim - 1] ?? 0;
  if (!(options.smoothing >= 0 && options.smoothing < 1)) throw new Error(`smoothing must be in [0, 1), got ${options.smoothing}`);
  const flatLogits = logits.reshape([-1, V]); // [B*T, V]
  const flatTargets = targets.reshape([-1]); // [B*T]
  return torch.F.crossEntropy(flatLogits, flatTargets, { ignoreIndex: options.padId, labelSmoothing: options.smoothing, reduction: 'mean' });
}
