// One optimizer update over several micro-batches (gradient accumulation):
//   1) per micro-batch: forward, label-smoothed loss weighted by its share n_i / N of the target tokens,
//      backward (gradients add up)  2) clip the global gradient norm  3) set the scheduled lr, Adam step.
// The weighted sum equals the loss of one batch holding all N tokens, so accumulate k x maxTokens trains
// like a k times larger batch. trainStep of @attend/model does the single-batch case; it zeroes the
// gradient inside, hence this loop.
import { torch } from '@attend/torch';
import { labelSmoothedLoss, type Optimizer, type Transformer } from '@attend/model';
import { targetTokens, toBatch } from './batch-tensors.ts';
import type { Example } from './token-batches.ts';

export interface UpdateOptions {
  readonly lr: number;
  readonly smoothing: number;
  readonly clip: number; // 0 = no clipping
}

export interface UpdateResult {
  readonly loss: number; // mean label-smoothed loss per target token over all micro-batches
  readonly targetTokens: number;
  readonly sourceTokens: number;
  readonly gradNorm: number | null; // before clipping; null without clipping
}

export function accumulatedUpdate(model: Transformer, optimizer: Optimizer, micro: readonly (readonly Example[])[], options: UpdateOptions): UpdateResult {
  model.train(true);
  const total = micro.reduce((n, examples) => n + targetTokens(examples), 0);
  optimizer.zeroGrad();
  let lossSum = 0;
  let sourceTokens = 0;
  for (const examples of micro) {
    const share = targetTokens(examples) / total;
    lossSum += torch.tidy(() => {
      const batch = toBatch(examples, model.config);
      const logits = model.forward(batch.srcIds, batch.tgtInIds); // [B, T, V]
      const loss = labelSmoothedLoss(logits, batch.tgtOutIds, { smoothing: options.smoothing, padId: model.config.padId });
      loss.mul(share).backward();
      return loss.item() * share;
    });
    sourceTokens += examples.reduce((n, e) => n + e.source.length, 0);
  }
  const gradNorm = options.clip > 0 ? torch.nn.clipGradNorm(model.trainableParameters(), options.clip) : null;
  optimizer.setLr(options.lr);
  optimizer.step();
  return { loss: lossSum, targetTokens: total, sourceTokens, gradNorm };
}
