// A checkpoint is a folder: weights and optimizer state as safetensors files named by step, and state.json
// pointing at them. Resuming reads state.json, so the write order makes every kill safe:
// 1) weights-<step>.safetensors  2) optimizer-<step>.safetensors (each temp + fsync + rename)
// 3) state.json (temp + fsync + rename): the commit point  4) delete the files of older steps.
// A run killed before 3) resumes from the previous state.json, whose files still exist.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { torch, writeFileAtomic, type Tensor } from '@attend/torch';
import type { TransformerConfig } from '@attend/model-spec';
import type { Transformer } from './transformer.ts';

export const CHECKPOINT_FORMAT = 'attend-checkpoint/1';
const STATE_FILE = 'state.json';

/** The optimizer side of a checkpoint (torch.optim.Adam has it). */
export interface StatefulOptimizer {
  stateDict(): { step: number; tensors: Tensor[] };
  loadStateDict(state: { step: number; tensors: Tensor[] }): void;
}

export interface CheckpointState {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly step: number; // training steps done
  readonly config: TransformerConfig;
  readonly weights: string; // file name inside the folder
  readonly optimizer: string | null; // file name, or null when saved without one
  readonly savedAt: string; // ISO 8601
  readonly extra: Readonly<Record<string, unknown>>; // the trainer's own state: data position, lr, metrics
}

export interface SaveCheckpointOptions {
  readonly model: Transformer;
  readonly step: number;
  readonly optimizer?: StatefulOptimizer;
  readonly extra?: Record<string, unknown>;
}

export function saveCheckpoint(dir: string, { model, step, optimizer, extra = {} }: SaveCheckpointOptions): CheckpointState {
  mkdirSync(dir, { recursive: true });
  const weights = `weights-${step}.safetensors`;
  torch.saveSafetensors(join(dir, weights), Object.fromEntries(model.parameters()), { format: 'pt' });
  let optimizerFile: string | null = null;
  if (optimizer) {
    optimizerFile = `optimizer-${step}.safetensors`;
    const state = optimizer.stateDict();
    const tensors = Object.fromEntries(state.tensors.map((t, i) => [`state.${i}`, t]));
    torch.saveSafetensors(join(dir, optimizerFile), tensors, { step: String(state.step), count: String(state.tensors.length) });
    for (const t of state.tensors) t.dispose();
  }
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    step,
    config: model.config,
    weights,
    optimizer: optimizerFile,
    savedAt: new Date().toISOString(),
    extra,
  };
  writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  for (const name of readdirSync(dir)) {
    if (/^(weights|optimizer)-\d+\.safetensors$/.test(name) && name !== weights && name !== optimizerFile) rmSync(join(dir, name));
  }
  return state;
}

/** state.json of a checkpoint folder, or null when there is none yet (a fresh run). */
export function readCheckpoint(dir: string): CheckpointState | null {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const state = JSON.parse(text) as CheckpointState;
  if (state.format !== CHECKPOINT_FORMAT) throw new Error(`${join(dir, STATE_FILE)}: format must be "${CHECKPOINT_FORMAT}", got ${JSON.stringify(state.format)}`);
  return state;
}

/** Restores the weights (and the optimizer state when given) of the checkpoint in `dir` into `model`. */
export function loadCheckpoint(dir: string, model: Transformer, optimizer?: StatefulOptimizer): CheckpointState {
  const state = readCheckpoint(dir);
  if (!state) throw new Error(`no checkpoint in ${dir}: ${STATE_FILE} is missing`);
  if (JSON.stringify(state.config) !== JSON.stringify(model.config)) {
    throw new Error(`checkpoint in ${dir} is for another config; build the model with readCheckpoint(dir).config`);
  }
  const weights = torch.loadSafetensors(join(dir, state.weights)).tensors;
  try {
    model.loadWeights(weights);
  } finally {
    for (const t of Object.values(weights)) t.dispose();
  }
  if (optimizer) {
    if (!state.optimizer) throw new Error(`checkpoint in ${dir} was saved without optimizer state`);
    const { tensors, metadata } = torch.loadSafetensors(join(dir, state.optimizer));
    const ordered = Array.from({ length: Number(metadata.count) }, (_, i) => {
      const t = tensors[`state.${i}`];
      if (!t) throw new Error(`${state.optimizer}: missing tensor state.${i}`);
      return t;
    });
    try {
      optimizer.loadStateDict({ step: Number(metadata.step), tensors: ordered });
    } finally {
      for (const t of Object.values(tensors)) t.dispose();
    }
  }
  return state;
}

