// The checkpoints of a run: outDir/checkpoints/step-<N>/ folders, each complete in itself (weights,
// optimizer, state.json from @attend/model's saveCheckpoint, plus the tokenizer and the resolved config),
// and two pointer files, `latest` and `best`, holding a folder name.
// Every change is atomic, so a kill at any moment leaves the previous checkpoint intact:
//   1) write the folder under a temp name  2) rename it to step-<N>  3) rewrite `latest` (temp + rename).
// A kill before 3) leaves a temp folder or a step folder newer than `latest`: recover() removes both.
// Deletions rename first, so a half-deleted folder never looks like a checkpoint.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type CheckpointState, type StatefulOptimizer, type Transformer, readCheckpoint, saveCheckpoint } from '@attend/model';
import { syncDirectory, writeFileAtomic } from '@attend/torch';

export interface CheckpointEntry {
  readonly name: string;
  readonly step: number;
  readonly path: string;
}

const STEP_FOLDER = /^step-(\d+)$/;
const TEMP_PREFIX = '.tmp-';
const TEMP_NAME = /^\.tmp-|\.tmp-\d+$/; // folders being written or deleted; pointer files being written

export const stepFolder = (step: number) => `step-${String(step).padStart(8, '0')}`;

export class CheckpointStore {
  readonly dir: string;

  constructor(outDir: string) {
    this.dir = join(outDir, 'checkpoints');
  }

  /** Folders with a step, oldest first. */
  list(): CheckpointEntry[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .flatMap((name) => {
        const match = STEP_FOLDER.exec(name);
        return match ? [{ name, step: Number(match[1]), path: join(this.dir, name) }] : [];
      })
      .sort((a, b) => a.step - b.step);
  }

  latest(): CheckpointEntry | null {
    return this.pointer('latest');
  }

  best(): CheckpointEntry | null {
    return this.pointer('best');
  }

  /** Clears what a killed save or prune left behind; returns the checkpoint to resume from. */
  recover(): CheckpointEntry | null {
    if (!existsSync(this.dir)) return null;
    for (const name of readdirSync(this.dir)) if (TEMP_NAME.test(name)) rmSync(join(this.dir, name), { recursive: true, force: true });
    const latest = this.latest();
    const folders = this.list();
    // Without a pointer, only a kill during the very first save explains one step folder; more, or a
    // pointer to a missing folder, means hands were at work: never delete checkpoints on a guess.
    if (latest === null && (folders.length > 1 || existsSync(join(this.dir, 'latest')))) {
      throw new Error(`${this.dir}/latest is missing or names a missing folder: write the name of the step folder to resume from into it, or pass --fresh`);
    }
    for (const entry of folders) if (latest === null || entry.step > latest.step) this.remove(entry);
    return latest;
  }

  /** Writes step-<N>; `best` marks it as the best so far (pointer written before `latest`). */
  save(options: {
    step: number;
    model: Transformer;
    optimizer: StatefulOptimizer;
    extra: Record<string, unknown>;
    files: readonly string[];
    best: boolean;
  }): CheckpointEntry {
    const { step } = options;
    mkdirSync(this.dir, { recursive: true });
    const name = stepFolder(step);
    const temp = join(this.dir, `${TEMP_PREFIX}${name}`);
    rmSync(temp, { recursive: true, force: true });
    saveCheckpoint(temp, { model: options.model, step, optimizer: options.optimizer, extra: options.extra });
    for (const file of options.files) copyFileSync(file, join(temp, basename(file)));
    const path = join(this.dir, name);
    if (existsSync(path)) this.remove({ name, step, path });
    renameSync(temp, path);
    syncDirectory(this.dir);
    // A kill between the two pointers leaves `best` on a folder newer than `latest`: recover() drops
    // that folder, and the replayed validation marks it again.
    if (options.best) this.writePointer('best', name);
    this.writePointer('latest', name);
    return { name, step, path };
  }

  /** Keeps the newest `keep` folders and the best one. */
  prune(keep: number): void {
    const best = this.best()?.name;
    const all = this.list();
    for (const entry of all.slice(0, Math.max(0, all.length - keep))) if (entry.name !== best) this.remove(entry);
  }

  private remove(entry: CheckpointEntry): void {
    const doomed = join(this.dir, `${TEMP_PREFIX}delete-${entry.name}`);
    renameSync(entry.path, doomed);
    rmSync(doomed, { recursive: true, force: true });
  }

  private pointer(kind: 'latest' | 'best'): CheckpointEntry | null {
    const file = join(this.dir, kind);
    if (!existsSync(file)) return null;
    const name = readFileSync(file, 'utf8').trim();
    const match = STEP_FOLDER.exec(name);
    if (!match) throw new Error(`${file} must name a step folder, got ${JSON.stringify(name)}: delete it or pass --fresh`);
    const path = join(this.dir, name);
    return existsSync(path) ? { name, step: Number(match[1]), path } : null;
  }

  private writePointer(kind: 'latest' | 'best', name: string): void {
    writeFileAtomic(join(this.dir, kind), `${name}\n`);
  }
}

/** A checkpoint folder's state.json (step, config, trainer state), or an error that says what to pass. */
export function readCheckpointFolder(path: string): CheckpointState {
  const state = readCheckpoint(path);
  if (!state) throw new Error(`${path} holds no checkpoint (state.json is missing): pass a step folder, averaged/, or a run folder`);
  return state;
}


