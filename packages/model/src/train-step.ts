// One optimisation step: 1) forward  2) label-smoothed loss  3) backward (per micro-batch, gradients add
// up)  4) sum the gradients over the processes sharing the update, if any  5) clip the gradient norm
// 6) Adam update   (Vaswani et al. 2017, §5.3, §5.4)
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
  /**
   * Target tokens of the whole update when other processes train other micro-batches of it (data
   * parallelism): each micro-batch's loss is weighted by its share of these. Default: this call's.
   */
  readonly globalTargetTokens?: number;
  /** Runs before micro-batch i's forward pass (e.g. to seed its dropout by its place in the global batch). */
  readonly beforeMicroBatch?: (index: number) => void;
  /**
   * Sums each tensor in place over the processes sharing the update: every parameter's gradient, then
   * the weighted loss as a [1] tensor. Runs before clipping, so every process steps on the same gradients.
   */
  readonly reduce?: (tensors: Tensor[]) => void;
}

export interface TrainStepResult {
  readonly loss: number; // mean label-smoothed loss per non-pad target token, over all micro-batches (of every process, with `reduce`)
  readonly targetTokens: number; // non-pad target tokens in this call's batches
  readonly sourceTokens: number;
  readonly gradNorm: number | null; // total norm before clipping, when clipping
}

/**
 * One update over one batch, or over several micro-batches whose gradients add up (gradient
 * accumulation): each micro-batch's loss is weighted by its share n_i / N of the target tokens, so the
 * update equals that of one batch holding all N tokens.
 */
export function trainStep(model: Transformer, optimizer: Optimizer, batches: Batch | readonly Batch[], options: TrainStepOptions): TrainStepResult {
  const micro: readonly Batch[] = isBatchList(batches) ? batches : [batches];
  model.train(true);
  const padId = model.config.padId;
  return torch.tidy(() => {
    optimizer.zeroGrad();
    const counts = micro.map((batch) => batch.tgtOutIds.ne(padId).sum().item());
    const targetTokens = counts.reduce((a, b) => a + b, 0);
    const total = options.globalTargetTokens ?? targetTokens;
    let loss = 0;
    micro.forEach((batch, i) => {
      options.beforeMicroBatch?.(i);
      const share = (counts[i] as number) / total;
      // A scope per micro-batch: its activations are freed once its gradients are accumulated, as
      // PyTorch's reference counting would free them, so the peak is one micro-batch's graph.
      loss += torch.tidy(() => {
        const logits = model.forward(batch.srcIds, batch.tgtInIds, { maskTargetPadding: options.maskTargetPadding ?? false });
        const microLoss = labelSmoothedLoss(logits, batch.tgtOutIds, { smoothing: options.smoothing, padId });
        microLoss.mul(share).backward();
        return microLoss.item() * share;
      });
    });
    if (options.reduce) loss = reduced(model, loss, options.reduce);
    const gradNorm = options.clipNorm === undefined ? null : torch.nn.clipGradNorm(model.trainableParameters(), options.clipNorm);
    if (options.lr !== undefined) optimizer.setLr(options.lr);
    optimizer.step();
    return {
      loss,
      targetTokens,
      sourceTokens: micro.reduce((n, batch) => n + batch.srcIds.ne(padId).sum().item(), 0),
      gradNorm,
    };
  });
}

/** Sums the gradients and the loss over the processes (one collective); the summed loss. */
function reduced(model: Transformer, loss: number, reduce: (tensors: Tensor[]) => void): number {
  const lossSum = torch.tensor([loss], [1]);
  reduce([...model.trainableParameters().map(gradientOf), lossSum]);
  return lossSum.item();
}

function gradientOf(param: Tensor): Tensor {
  const grad = param.grad;
  if (grad === null) throw new Error('a parameter got no gradient: every process must train at least one micro-batch per update');
  return grad;
}

function isBatchList(batches: Batch | readonly Batch[]): batches is readonly Batch[] {
  return Array.isArray(batches);
}
