// One process of train-scaling.ts: the trainer's data-parallel update (scripts/train/accumulated-step.ts)
// on the reference config with a batch of 64 pairs x 32 tokens per rank, driven over stdin/stdout:
// `{"run": n}` in -> n updates -> `{"seconds", "tokens", "loss"}` out; `{"quit": true}` ends it. With
// RANK/WORLD_SIZE/MASTER_* in the environment it is one rank of a process group, else a process alone.
//   node --import tsx scripts/bench/train-scaling-rank.ts --threads 1
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { torch } from '@attend/torch';
import { TINY, resolveConfig } from '@attend/model-spec';
import { Transformer } from '@attend/model';
import { accumulatedUpdate } from '../train/accumulated-step.ts';
import { rankFromEnv } from '../train/rank-env.ts';
import { ONE_PROCESS, joinRanks } from '../train/ranks.ts';
import { mulberry32 } from '../train/random.ts';
import type { StepShare } from '../train/step-batches.ts';
import type { Example } from '../train/token-batches.ts';

const BATCH = 64;
const LENGTH = 32;

/** Uniform random ids in [3, vocab): no padding, so every one of the 64 x 32 targets counts. */
function randomExamples(vocab: number, seed: number): Example[] {
  const random = mulberry32(seed);
  const ids = () => Array.from({ length: LENGTH }, () => 3 + Math.floor(random() * (vocab - 3)));
  return Array.from({ length: BATCH }, () => ({ source: ids(), target: ids() }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { threads: { type: 'string', default: '1' } } });
  torch.setNumThreads(Number(values.threads));
  const env = rankFromEnv(process.env);
  const ranks = env ? joinRanks(env) : ONE_PROCESS;
  const config = resolveConfig({ ...TINY, dropout: 0.1 });
  const model = new Transformer(config, { seed: 0 });
  const adam = new torch.optim.Adam(model.trainableParameters(), { lr: 5e-4, betas: [0.9, 0.98], eps: 1e-9 });
  const share: StepShare = { micro: [{ examples: randomExamples(config.vocabSize, ranks.rank + 1), index: ranks.rank }], targetTokens: BATCH * LENGTH * ranks.worldSize };
  const options = { lr: 5e-4, smoothing: 0.1, clip: 1, seedOf: (micro: number) => micro };
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { run?: number; quit?: boolean };
    if (command.quit) break;
    const start = performance.now();
    let loss = 0;
    for (let i = 0; i < (command.run ?? 0); i++) loss = accumulatedUpdate(model, adam, share, ranks, options).loss;
    const seconds = (performance.now() - start) / 1000;
    process.stdout.write(`${JSON.stringify({ seconds, tokens: (command.run ?? 0) * share.targetTokens, loss })}\n`);
  }
  ranks.close();
  model.dispose();
}

await main();
