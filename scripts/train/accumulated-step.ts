// One optimizer update over the global batch: gradient accumulation over `batch.accumulate` micro-batches
// per rank, data parallelism over the ranks, through @attend/model's trainStep. Each micro-batch's loss is
// weighted by its share n_i / N of the global batch's N target tokens, and gradients and loss are summed
// over the ranks before clipping, so every rank steps on the gradients of one batch holding all N tokens
// and the parameters stay identical. Dropout is seeded per micro-batch by its place in the global batch.
import { torch } from '@attend/torch';
import { type Optimizer, type Transformer, trainStep } from '@attend/model';
import { toBatch } from './batch-tensors.ts';
import type { Ranks } from './ranks.ts';
import type { StepShare } from './step-batches.ts';

export interface UpdateOptions {
  readonly lr: number;
  readonly smoothing: number;
  readonly clip: number; // 0 = no clipping
  /** Seeds libtorch's generator before each micro-batch (dropout masks), from its index in the global batch. */
  readonly seedOf: (microIndex: number) => number;
}

export interface UpdateResult {
  readonly loss: number; // mean label-smoothed loss per target token of the global batch
  readonly targetTokens: number; // of the global batch
  readonly gradNorm: number | null; // total norm before clipping, when clipping
}

/** @attend/model's trainStep on this rank's micro-batches, weighted and summed over the global batch. */
export function accumulatedUpdate(model: Transformer, optimizer: Optimizer, share: StepShare, ranks: Ranks, options: UpdateOptions): UpdateResult {
  return torch.tidy(() => {
    const { loss, gradNorm } = trainStep(
      model,
      optimizer,
      share.micro.map((micro) => toBatch(micro.examples, model.config)),
      {
        smoothing: options.smoothing,
        lr: options.lr,
        ...(options.clip > 0 && { clipNorm: options.clip }),
        globalTargetTokens: share.targetTokens,
        beforeMicroBatch: (i) => torch.manualSeed(options.seedOf(share.micro[i]!.index)),
        reduce: (tensors) => ranks.sum(tensors),
      },
    );
    return { loss, targetTokens: share.targetTokens, gradNorm };
  });
}
