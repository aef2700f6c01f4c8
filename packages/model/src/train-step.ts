// One optimisation step: 1) forward  2) label-smoothed loss  3) backward  4) clip the gradient norm
// 5) Adam update   (Vaswani et al. 2017, §5.3, §5.4)
// Everything created on the way is freed by one tidy scope, so a training loop holds no tensors across steps.
import { torch, type Tensor } from '@attend/torch';
import { labelSmoothedLoss } from './label-smoothing.ts';
import type { Transformer } from './transformer.ts';

/** A padded batch of sentence pairs, int64 ids; tgtInIds is tgtOutIds shifted right behind decoderStartId. */
export interface Batch {
  readonly srcIds: Tensor; // [B, S]
  readonly tgtInIds: Tensor; // [B, T]
  readonly tgtOutIds: Tensor; // [B, T]
}

/** What trainStep needs of an optimizer (torch.optim.Adam has it). */
export interface Optimizer {
  step(): void;
  zeroGrad(): void;
  setLr(lr: number): void;
}

export interface TrainStepOptions {
  readonly smoothing: number; // ε of the label-smoothed loss (paper: 0.1)
  readonly lr?: number; // set before the update when given (e.g. from noamLr)
  readonly clipNorm?: number; // max global gradient L2 norm; no clipping when absent
  readonly maskTargetPadding?: boolean;
}

export interface TrainStepResult {
  readonly loss: number; // mean label-smoothed loss per non-pad target token
  readonly targetTokens: number; // non-pad target tokens in the batch
  readonly sourceTokens: number;
  readonly gradNorm: number | null; // total norm before clipping, when clipping
}

export function trainStep(model: Transformer, optimizer: Optimizer, batch: Batch, options: TrainStepOptions): TrainStepResult {
  model.train(true);
  const padId = model.config.padId;
  return torch.tidy(() => {
    optimizer.zeroGrad();
    // An inner scope for the forward pass: activations that backward needs stay alive through the autograd
    // graph, the others (logits, masks, pre-softmax scores) are freed now instead of after the update,
    // which lowers the peak memory of the step as PyTorch's reference counting would.
    const loss = torch.tidy(() => {
      const logits = model.forward(batch.srcIds, batch.tgtInIds, { maskTargetPadding: options.maskTargetPadding ?? false });
      return labelSmoothedLoss(logits, batch.tgtOutIds, { smoothing: options.smoothing, padId });
    });
    loss.backward();
    const gradNorm = options.clipNorm === undefined ? null : torch.nn.clipGradNorm(model.trainableParameters(), options.clipNorm);
    if (options.lr !== undefined) optimizer.setLr(options.lr);
    optimizer.step();
    return {
      loss: loss.item(),
      targetTokens: batch.tgtOutIds.ne(padId).sum().item(),
      sourceTokens: batch.srcIds.ne(padId).sum().item(),
      gradNorm,
    };
  });
}
