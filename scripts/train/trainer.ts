// The training loop of `npm run train`, on every rank of a run: data -> accumulated updates on the noam
// schedule (gradients summed over the ranks) -> validation, best/last-K checkpoints, early stopping ->
// checkpoint averaging at the end, rank 0 alone doing the last three. Every checkpoint holds the whole run
// state, and every micro-batch reseeds the dropout generator from (seed, step, micro-batch), so a run
// resumed from a checkpoint replays exactly the updates the killed run would have made, and N ranks
// train exactly as one process accumulating N times as many micro-batches.
import { torch } from '@attend/torch';
import { formatSummary, type RunSummary } from './run-summary.ts';
import { Leader } from './leader.ts';
import { ONE_PROCESS, type Ranks } from './ranks.ts';
import { openRun } from './run-setup.ts';
import type { TrainConfig } from './train-config.ts';
import { TrainingLoop } from './training-loop.ts';

export interface TrainOptions {
  readonly fresh?: boolean; // start over even if outDir holds checkpoints
  readonly log?: (message: string) => void; // notices on stderr
  readonly signal?: AbortSignal; // stop after the current update, save, summarise
  readonly ranks?: Ranks; // the processes of a data-parallel run (default: this one alone)
}

export async function train(config: TrainConfig, options: TrainOptions = {}): Promise<RunSummary> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const ranks = options.ranks ?? ONE_PROCESS;
  const started = performance.now();
  torch.setNumThreads(config.run.threads);
  const run = await openRun(config, ranks, { fresh: options.fresh ?? false, log });
  const leader = run.folder ? await Leader.open(config, run, run.folder, log) : null;
  const loop = new TrainingLoop(config, run, ranks, leader);
  try {
    while (loop.goesOn) {
      const update = await loop.update(); // 1) this rank's share of the global batch: forward, backward, sum over ranks, Adam
      loop.report(update); // 2) progress line, metrics.jsonl (rank 0)
      const verdict = loop.validate(); // 3) dev loss, BLEU, chrF, early stopping (rank 0, every validateEvery)
      loop.decideStop(verdict.stop, options.signal); // 4) every rank agrees whether to go on
      loop.save(verdict.improved); // 5) checkpoint when due (rank 0)
    }
    loop.saveLast();
  } finally {
    await loop.close();
  }
  ranks.close();
  const summary = loop.finish(started);
  run.model.dispose();
  leader?.metrics.append({ step: summary.steps, kind: 'summary', ...summary });
  if (leader) for (const line of formatSummary(summary)) log(line);
  return summary;
}
