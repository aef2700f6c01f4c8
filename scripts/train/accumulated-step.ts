// One optimizer update over the micro-batches of one step (gradient accumulation, `batch.accumulate`):
// trainStep of @attend/model weights each micro-batch by its share of the target tokens, so accumulate
// k x maxTokens trains like a k times larger batch.
import { torch } from '@attend/torch';
import { type Optimizer, type TrainStepResult, type Transformer, trainStep } from '@attend/model';
import { toBatch } from './batch-tensors.ts';
import type { Example } from './token-batches.ts';

export interface UpdateOptions {
  readonly lr: number;
  readonly smoothing: number;
  readonly clip: number; // 0 = no clipping
}

export function accumulatedUpdate(model: Transformer, optimizer: Optimizer, micro: readonly (readonly Example[])[], options: UpdateOptions): TrainStepResult {
  return torch.tidy(() => {
    const batches = micro.map((examples) => toBatch(examples, model.config));
    return trainStep(model, optimizer, batches, { smoothing: options.smoothing, lr: options.lr, clipNorm: options.clip > 0 ? options.clip : undefined });
  });
}
