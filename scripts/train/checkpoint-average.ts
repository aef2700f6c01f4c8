// Checkpoint averaging (Vaswani et al. 2017, §6.1: "averaging the last 5 checkpoints"): the element-wise
// mean of the weights of several checkpoints of one run. Summed in float64, so the mean of one
// checkpoint is its weights exactly.
import { join } from 'node:path';
import { torch } from '@attend/torch';
import type { TransformerConfig } from '@attend/model-spec';
import { readCheckpointFolder } from './checkpoints.ts';

export interface AveragedWeights {
  readonly config: TransformerConfig;
  readonly weights: Map<string, Float32Array>;
  readonly steps: readonly number[];
}

export function averageCheckpoints(folders: readonly string[]): AveragedWeights {
  if (folders.length === 0) throw new Error('averageCheckpoints: no checkpoint folder given');
  const sums = new Map<string, Float64Array>();
  const steps: number[] = [];
  let config: TransformerConfig | null = null;
  for (const folder of folders) {
    const state = readCheckpointFolder(folder);
    if (config !== null && JSON.stringify(config) !== JSON.stringify(state.config)) {
      throw new Error(`${folder} has another model config than ${folders[0]}: average checkpoints of one run only`);
    }
    config = state.config;
    steps.push(state.step);
    const { tensors } = torch.loadSafetensors(join(folder, state.weights));
    try {
      for (const [name, tensor] of Object.entries(tensors)) {
        const values = torch.tidy(() => tensor.to('float32').data()) as Float32Array;
        const sum = sums.get(name) ?? new Float64Array(values.length);
        if (sum.length !== values.length) throw new Error(`${folder}: "${name}" has ${values.length} values, expected ${sum.length}`);
        for (let i = 0; i < values.length; i++) sum[i] = (sum[i] as number) + (values[i] as number);
        sums.set(name, sum);
      }
    } finally {
      for (const t of Object.values(tensors)) t.dispose();
    }
  }
  const weights = new Map<string, Float32Array>();
  for (const [name, sum] of sums) weights.set(name, Float32Array.from(sum, (v) => v / folders.length));
  return { config: config as TransformerConfig, weights, steps };
}
