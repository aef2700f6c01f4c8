// Opening a run, on every rank: 1) rank 0 prepares the run folder (fresh start or recovery, tokenizer,
// resolved config), builds the model and loads the checkpoint to resume from  2) it sends the tokenizer
// and the run state to the other ranks, which build the same model  3) every rank takes rank 0's
// parameters and Adam moments, so all start from exactly the state rank 0 holds. Only rank 0 reads or
// writes the run folder: the other machines need the code, the config and the corpora, nothing else.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { torch, type Adam } from '@attend/torch';
import { Transformer, loadCheckpoint } from '@attend/model';
import { resolveConfig, type TransformerConfig } from '@attend/model-spec';
import { Tokenizer, type TokenizerJson } from '@attend/tokenizer';
import { TOKENIZER_CONFIG_FILE, TOKENIZER_FILE } from '@attend/tokenizer/files';
import { CheckpointStore, type CheckpointEntry } from './checkpoints.ts';
import type { Ranks } from './ranks.ts';
import { RESOLVED_CONFIG_FILE, clearRun } from './run-folder.ts';
import { FRESH_RUN, type RunState, runStateFromExtra } from './run-state.ts';
import { prepareTokenizer } from './tokenizer-setup.ts';
import type { TrainConfig } from './train-config.ts';

export interface RunFolder {
  readonly store: CheckpointStore;
  readonly resumedFrom: CheckpointEntry | null;
  readonly files: readonly string[]; // copied into every checkpoint: resolved config, tokenizer
}

export interface OpenedRun {
  readonly tokenizer: Tokenizer;
  readonly model: Transformer;
  readonly optimizer: Adam;
  readonly step: number; // updates done
  readonly state: RunState;
  readonly folder: RunFolder | null; // rank 0's alone
}

/** What rank 0 sends the other ranks before training starts. */
interface Start {
  readonly tokenizer: TokenizerJson;
  readonly step: number; // also Adam's step count: one Adam step per update
  readonly state: RunState;
}

/** The model shape a training config asks for, given the tokenizer's vocabulary. */
function transformerConfig(config: TrainConfig, vocabSize: number): TransformerConfig {
  const { preset, ...overrides } = config.model;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return resolveConfig({ ...defined, vocabSize }, preset);
}

export async function openRun(config: TrainConfig, ranks: Ranks, options: { fresh: boolean; log: (m: string) => void }): Promise<OpenedRun> {
  const leading = ranks.rank === 0 ? await openFolder(config, options) : null;
  const start = ranks.share<Start>('start', leading?.start ?? null);
  const tokenizer = leading?.tokenizer ?? Tokenizer.fromJSON(start.tokenizer);
  const { model, optimizer } = leading ?? buildModel(config, tokenizer);
  if (ranks.worldSize > 1) takeRankZeroState(ranks, model, optimizer, start.step);
  return { tokenizer, model, optimizer, step: start.step, state: start.state, folder: leading?.folder ?? null };
}

async function openFolder(config: TrainConfig, options: { fresh: boolean; log: (m: string) => void }) {
  mkdirSync(config.outDir, { recursive: true });
  if (options.fresh) clearRun(config.outDir);
  const store = new CheckpointStore(config.outDir);
  const resumedFrom = store.recover();
  const { tokenizer, origin, trainPairs } = await prepareTokenizer(config, resolveConfig({}, config.model.preset).maxPositions);
  if (origin === 'trained') options.log(`trained a ${tokenizer.vocabSize}-token BPE vocabulary on ${trainPairs} pairs`);
  const { model, optimizer } = buildModel(config, tokenizer);
  const resolvedPath = join(config.outDir, RESOLVED_CONFIG_FILE);
  writeFileSync(resolvedPath, `${JSON.stringify({ ...config, transformer: model.config }, null, 2)}\n`);
  const files = [resolvedPath, join(config.outDir, TOKENIZER_FILE), join(config.outDir, TOKENIZER_CONFIG_FILE)];
  const state = resumedFrom ? resume(resumedFrom, model, optimizer, options.log) : FRESH_RUN;
  const start: Start = { tokenizer: tokenizer.toJSON(), step: resumedFrom?.step ?? 0, state };
  return { tokenizer, model, optimizer, start, folder: { store, resumedFrom, files } };
}

/** Loads the checkpoint into the model and optimizer; returns the run state it holds. */
function resume(from: CheckpointEntry, model: Transformer, optimizer: Adam, log: (m: string) => void): RunState {
  let state: RunState;
  try {
    state = runStateFromExtra(loadCheckpoint(from.path, model, optimizer).extra);
  } catch (error) {
    throw new Error(`cannot resume from ${from.path}: ${(error as Error).message}. Pass --fresh to start over (it deletes the checkpoints)`);
  }
  log(`resuming from step ${from.step} (${from.path}); pass --fresh to start over`);
  return state;
}

function buildModel(config: TrainConfig, tokenizer: Tokenizer): { model: Transformer; optimizer: Adam } {
  const model = new Transformer(transformerConfig(config, tokenizer.vocabSize), { seed: config.run.seed });
  const { optim } = config;
  const optimizer = new torch.optim.Adam(model.trainableParameters(), {
    lr: optim.lr,
    betas: [optim.betas[0], optim.betas[1]],
    eps: optim.eps,
    weightDecay: optim.weightDecay,
    decoupledWeightDecay: optim.weightDecay > 0,
  });
  return { model, optimizer };
}

// The parameters (positional tables too) and Adam's moments in one broadcast; the moments go through a
// copy (stateDict) and back.
function takeRankZeroState(ranks: Ranks, model: Transformer, optimizer: Adam, adamStep: number): void {
  const moments = optimizer.stateDict();
  ranks.broadcast([...model.parameters().values(), ...moments.tensors]);
  optimizer.loadStateDict({ step: adamStep, tensors: moments.tensors });
  for (const tensor of moments.tensors) tensor.dispose();
}
