// One optimizer update over the global batch: gradient accumulation over `batch.accumulate` micro-batches
// per rank, data parallelism over the ranks. Each micro-batch's loss is weighted by its share n_i / N of
// the global batch's N target tokens, so the gradients summed over micro-batches and ranks equal those of
// one batch holding all N tokens, as @attend/model's trainStep weights micro-batches within one process.
// Every rank then clips and steps on the same summed gradients, so the parameters stay identical.
// 1) forward + backward per micro-batch  2) sum gradients and loss over the ranks  3) clip  4) Adam
import { torch, type Tensor } from '@attend/torch';
import { type Optimizer, type Transformer, labelSmoothedLoss } from '@attend/model';
import { targetTokens, toBatch } from './batch-tensors.ts';
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

export function accumulatedUpdate(model: Transformer, optimizer: Optimizer, share: StepShare, ranks: Ranks, options: UpdateOptions): UpdateResult {
  model.train(true);
  return torch.tidy(() => {
    optimizer.zeroGrad();
    let loss = 0;
    for (const micro of share.micro) {
      torch.manualSeed(options.seedOf(micro.index));
      const weight = targetTokens(micro.examples) / share.targetTokens;
      // A scope per micro-batch: its activations are freed once its gradients are accumulated.
      loss += torch.tidy(() => {
        const batch = toBatch(micro.examples, model.config);
        const logits = model.forward(batch.srcIds, batch.tgtInIds);
        const microLoss = labelSmoothedLoss(logits, batch.tgtOutIds, { smoothing: options.smoothing, padId: model.config.padId });
        microLoss.mul(weight).backward();
        return microLoss.item() * weight;
      });
    }
    const params = model.trainableParameters();
    const lossSum = torch.tensor([loss], [1]); // rides along with the gradients: one collective
    ranks.sum([...params.map(gradientOf), lossSum]);
    const gradNorm = options.clip > 0 ? torch.nn.clipGradNorm(params, options.clip) : null;
    optimizer.setLr(options.lr);
    optimizer.step();
    return { loss: lossSum.item(), targetTokens: share.targetTokens, gradNorm };
  });
}

function gradientOf(param: Tensor): Tensor {
  const grad = param.grad;
  if (grad === null) throw new Error('a parameter got no gradient: every rank must train at least one micro-batch per update');
  return grad;
}
