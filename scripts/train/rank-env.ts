// Which rank of a run this process is, from the environment torchrun gives PyTorch's workers: RANK,
// WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT, plus ATTEND_CONNECT_TIMEOUT (seconds every rank has to
// join). `npm run train -- --nproc N` sets them for the ranks it starts; a cluster scheduler may set them
// itself and run `npm run train` once per rank.
export interface RankEnv {
  readonly rank: number; // 0 .. worldSize - 1; rank 0 serves the rendezvous store and leads the run
  readonly worldSize: number;
  readonly localRank: number; // rank among the processes of this machine
  readonly masterAddr: string; // the machine of rank 0
  readonly masterPort: number;
  readonly connectTimeoutSeconds: number;
}

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 300; // c10d's default store timeout

/** null when the environment names no run of several processes. */
export function rankFromEnv(env: NodeJS.ProcessEnv): RankEnv | null {
  const worldSize = env.WORLD_SIZE === undefined ? 1 : integer(env, 'WORLD_SIZE', 1);
  if (worldSize === 1) return null;
  const rank = integer(env, 'RANK', 0);
  if (rank >= worldSize) throw new Error(`RANK=${rank} must be below WORLD_SIZE=${worldSize}`);
  return {
    rank,
    worldSize,
    localRank: env.LOCAL_RANK === undefined ? 0 : integer(env, 'LOCAL_RANK', 0),
    masterAddr: env.MASTER_ADDR || '127.0.0.1',
    masterPort: integer(env, 'MASTER_PORT', 1),
    connectTimeoutSeconds: env.ATTEND_CONNECT_TIMEOUT === undefined ? DEFAULT_CONNECT_TIMEOUT_SECONDS : integer(env, 'ATTEND_CONNECT_TIMEOUT', 1),
  };
}

export function rankEnvVars(r: RankEnv): Record<string, string> {
  return {
    RANK: String(r.rank),
    WORLD_SIZE: String(r.worldSize),
    LOCAL_RANK: String(r.localRank),
    MASTER_ADDR: r.masterAddr,
    MASTER_PORT: String(r.masterPort),
    ATTEND_CONNECT_TIMEOUT: String(r.connectTimeoutSeconds),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, min: number): number {
  const value = Number(env[name]);
  if (env[name] === undefined || env[name] === '' || !Number.isInteger(value) || value < min) {
    throw new Error(`${name}=${env[name] ?? ''} must be an integer >= ${min} (a run of several processes needs RANK, WORLD_SIZE and MASTER_PORT)`);
  }
  return value;
}
