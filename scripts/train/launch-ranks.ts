// `npm run train -- --nproc N [--nnodes M --node-rank R --master-addr H --master-port P]`: starts this
// machine's N ranks of a run as child processes, each with the environment of rank-env.ts (what torchrun
// does for PyTorch). It forwards Ctrl-C and SIGTERM to them (they stop after the current update and save);
// when one rank fails or is killed, it stops the others and exits non-zero, so a run never hangs on a dead
// rank. Each rank is started in its own process group, so that a terminal's Ctrl-C reaches it once, from here.
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../lib/free-port.ts';
import { rankEnvVars } from './rank-env.ts';

export interface LaunchOptions {
  readonly nproc: number; // ranks on this machine
  readonly nnodes: number; // machines
  readonly nodeRank: number; // this machine: 0 .. nnodes - 1; machine 0 runs rank 0
  readonly masterAddr: string; // machine 0's address, reachable from every machine
  readonly masterPort: number | null; // null: any free port (one machine only)
  readonly connectTimeoutSeconds: number;
}

const KILL_AFTER_MS = 10_000; // a rank that ignores SIGTERM this long after a failure gets SIGKILL

/** Runs `node <execArgv> <rankArgv>` once per local rank; resolves with the exit code for this process. */
export async function launchRanks(options: LaunchOptions, rankArgv: readonly string[], log: (m: string) => void): Promise<number> {
  const masterPort = options.masterPort ?? (await freePort());
  const worldSize = options.nproc * options.nnodes;
  const ranks = Array.from({ length: options.nproc }, (_, localRank) => {
    const rank = options.nodeRank * options.nproc + localRank;
    const vars = rankEnvVars({ rank, worldSize, localRank, masterAddr: options.masterAddr, masterPort, connectTimeoutSeconds: options.connectTimeoutSeconds });
    // The IPC channel tells a rank when this launcher is gone (train.ts then stops it after the update).
    const child = spawn(process.execPath, [...process.execArgv, ...rankArgv], { env: { ...process.env, ...vars }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    return { rank, child };
  });
  log(`train: ${ranks.map(({ rank, child }) => `rank ${rank} pid ${child.pid}`).join(', ')} of ${worldSize} ranks; rendezvous at ${options.masterAddr}:${masterPort}`);
  const forward = (signal: NodeJS.Signals) => ranks.forEach(({ child }) => running(child) && child.kill(signal));
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await supervise(ranks, log);
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}

// Resolves when every rank has exited: 0 when all succeeded, 1 after the first failure (the others stopped).
function supervise(ranks: readonly { rank: number; child: ChildProcess }[], log: (m: string) => void): Promise<number> {
  return new Promise((done) => {
    let failed = false;
    let left = ranks.length;
    for (const { rank, child } of ranks) {
      child.on('exit', (code, signal) => {
        if (code !== 0 && !failed) {
          failed = true;
          log(`train: rank ${rank} (pid ${child.pid}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; stopping the other ranks. Run the same command again to resume from the last checkpoint.`);
          stopAll(ranks.map((r) => r.child));
        }
        if (--left === 0) done(failed ? 1 : 0);
      });
    }
  });
}

function stopAll(children: readonly ChildProcess[]): void {
  for (const child of children.filter(running)) {
    child.kill('SIGTERM');
    setTimeout(() => running(child) && child.kill('SIGKILL'), KILL_AFTER_MS).unref();
  }
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

