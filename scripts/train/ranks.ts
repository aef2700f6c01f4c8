// The processes of one training run as the trainer sees them (data parallelism, as PyTorch's
// DistributedDataParallel): every rank holds the whole model and trains on its own share of each global
// batch; rank 0 leads, alone reading and writing the run folder. With one process there is nothing to
// exchange; with several, a process group of libtorch's c10d (Gloo) carries every exchange.
import { torch, type ProcessGroup, type Tensor } from '@attend/torch';
import type { StopReason } from './run-summary.ts';
import type { RankEnv } from './rank-env.ts';

export interface Ranks {
  readonly rank: number;
  readonly worldSize: number;
  /** Rank 0 passes the value, the others null: every rank returns rank 0's value (sent as JSON). */
  share<T>(key: string, value: T | null): T;
  /** Every rank's tensors become rank 0's. */
  broadcast(tensors: readonly Tensor[]): void;
  /** Every tensor becomes its sum over the ranks. */
  sum(tensors: readonly Tensor[]): void;
  /** The reason to stop that wins over every rank's proposal ('maxSteps': go on). */
  agreeOnStop(proposal: StopReason): StopReason;
  /** Waits for every rank, then leaves the group. */
  close(): void;
}

// When ranks propose different reasons, the later one here wins (an interrupt over everything else).
const STOP_PRECEDENCE: readonly StopReason[] = ['maxSteps', 'earlyStopping', 'maxEpochs', 'maxMinutes', 'interrupted'];

export const ONE_PROCESS: Ranks = {
  rank: 0,
  worldSize: 1,
  share: (_key, value) => {
    if (value === null) throw new Error('rank 0 must pass the value it shares');
    return value;
  },
  broadcast: () => {},
  sum: () => {},
  agreeOnStop: (proposal) => proposal,
  close: () => {},
};

/** Joins the run's process group: returns once every rank has joined (throws after the connect timeout). */
export function joinRanks(env: RankEnv): Ranks {
  const group = new torch.distributed.ProcessGroup({
    masterAddr: env.masterAddr,
    masterPort: env.masterPort,
    rank: env.rank,
    worldSize: env.worldSize,
    connectTimeoutMs: env.connectTimeoutSeconds * 1000,
  });
  return groupRanks(group);
}

function groupRanks(group: ProcessGroup): Ranks {
  return {
    rank: group.rank,
    worldSize: group.worldSize,
    share: <T>(key: string, value: T | null): T => {
      if (group.rank === 0) group.store.set(key, JSON.stringify(value));
      return group.rank === 0 ? (value as T) : (JSON.parse(group.store.get(key)) as T);
    },
    broadcast: (tensors) => group.broadcast(tensors, 0),
    sum: (tensors) => group.allReduceSum(tensors),
    agreeOnStop: (proposal) =>
      torch.tidy(() => {
        // One vote per rank for its proposal: [ranks proposing reason i] for every reason i.
        const votes = torch.tensor(STOP_PRECEDENCE.map((reason) => (reason === proposal ? 1 : 0)), [STOP_PRECEDENCE.length]);
        group.allReduceSum([votes]);
        const counts = votes.toArray();
        return STOP_PRECEDENCE.findLast((_, i) => counts[i]! > 0) ?? 'maxSteps';
      }),
    close: () => {
      group.barrier();
      group.close();
    },
  };
}
