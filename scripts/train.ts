// `npm run train -- --config FILE.yaml [--fresh] [--optim.lr 0.001 ...]`
// Trains a Transformer from the config (YAML or JSON; any key overridable on the command line). An
// outDir that holds checkpoints is resumed from its latest one unless --fresh. Ctrl-C stops after the
// current update and saves; a second Ctrl-C quits at once. The last line of stdout is the run summary
// as JSON. Relative paths are read from the working directory (the repository root under npm run).
//
// Several processes (data parallel; see the README): `--nproc N` runs N ranks on this machine, and
// `--nnodes M --node-rank R --master-addr H [--master-port P]` spans M machines, started once on each.
// A process started with RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT in its environment is one rank.
import { pathToFileURL } from 'node:url';
import type { LaunchOptions } from './train/launch-ranks.ts';
import { DEFAULT_CONNECT_TIMEOUT_SECONDS, rankFromEnv } from './train/rank-env.ts';
import { applyOverrides, readConfigFile, resolveTrainConfig, type TrainConfig } from './train/train-config.ts';

const USAGE = [
  'usage: npm run train -- --config FILE.yaml [--fresh] [--section.key value ...]',
  '         [--nproc N] [--nnodes M --node-rank R --master-addr HOST] [--master-port PORT] [--connect-timeout SECONDS]',
].join('\n');
const DEFAULT_MASTER_PORT = 29500; // torchrun's
const LAUNCH_FLAGS = ['nproc', 'nnodes', 'node-rank', 'master-addr', 'master-port', 'connect-timeout'] as const;
type LaunchFlag = (typeof LAUNCH_FLAGS)[number];

export interface TrainArgs {
  readonly config: TrainConfig;
  readonly fresh: boolean;
  readonly launch: LaunchOptions | null; // null: train in this process
  readonly rankArgv: readonly string[]; // the arguments each launched rank gets: all but the launch flags
}

export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  const { flags, rest } = takeLaunchFlags(argv);
  let configFile: string | undefined;
  let fresh = false;
  const overrides: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--fresh') fresh = true;
    else if (arg === '--config') configFile = rest[++i];
    else if (arg.startsWith('--config=')) configFile = arg.slice('--config='.length);
    else overrides.push(arg);
  }
  if (configFile === undefined && overrides.length === 0) throw new Error(`pass --config FILE.yaml\n${USAGE}`);
  const base = configFile === undefined ? {} : readConfigFile(configFile);
  return { config: resolveTrainConfig(applyOverrides(base, overrides)), fresh, launch: launchOptions(flags), rankArgv: rest };
}

// `--nproc 2` or `--nproc=2`: the launch flags apart, the rest as given.
function takeLaunchFlags(argv: readonly string[]): { flags: Map<LaunchFlag, string>; rest: string[] } {
  const flags = new Map<LaunchFlag, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s);
    if (!arg.startsWith('--') || !(LAUNCH_FLAGS as readonly string[]).includes(name)) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value\n${USAGE}`);
    flags.set(name as LaunchFlag, value);
  }
  return { flags, rest };
}

function launchOptions(flags: ReadonlyMap<LaunchFlag, string>): LaunchOptions | null {
  const count = (flag: LaunchFlag, fallback: number, min: number) => {
    const value = Number(flags.get(flag) ?? fallback);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${flag} must be an integer >= ${min}, got ${flags.get(flag)}\n${USAGE}`);
    return value;
  };
  const nproc = count('nproc', 1, 1);
  const nnodes = count('nnodes', 1, 1);
  const nodeRank = count('node-rank', 0, 0);
  if (nodeRank >= nnodes) throw new Error(`--node-rank ${nodeRank} must be below --nnodes ${nnodes}`);
  const masterAddr = flags.get('master-addr');
  if (nnodes > 1 && masterAddr === undefined) throw new Error(`--nnodes ${nnodes} needs --master-addr: the address of the machine started with --node-rank 0\n${USAGE}`);
  const port = flags.has('master-port') ? count('master-port', 0, 1) : nnodes > 1 ? DEFAULT_MASTER_PORT : null;
  const connectTimeoutSeconds = count('connect-timeout', DEFAULT_CONNECT_TIMEOUT_SECONDS, 1);
  if (nproc * nnodes === 1) return null;
  return { nproc, nnodes, nodeRank, masterAddr: masterAddr ?? '127.0.0.1', masterPort: port, connectTimeoutSeconds };
}

async function main(): Promise<void> {
  const args = parseTrainArgs(process.argv.slice(2));
  if (args.launch) {
    const { launchRanks } = await import('./train/launch-ranks.ts');
    process.exitCode = await launchRanks(args.launch, [process.argv[1]!, ...args.rankArgv], (m) => process.stderr.write(`${m}\n`));
    return;
  }
  const rank = rankFromEnv(process.env);
  // Loaded after the arguments are checked: they load libtorch.
  const { train } = await import('./train/trainer.ts');
  const { joinRanks } = await import('./train/ranks.ts');
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    if (!rank || rank.rank === 0) process.stderr.write('\nstopping after this update (Ctrl-C again to quit without saving)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (process.channel) {
    // Started by the launcher: when it is gone, nobody supervises this rank any more; stop and save.
    process.channel.unref();
    process.on('disconnect', () => controller.abort());
  }
  const ranks = rank ? joinRanks(rank) : undefined;
  const summary = await train(args.config, { fresh: args.fresh, signal: controller.signal, ...(ranks ? { ranks } : {}) });
  if (!rank || rank.rank === 0) process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    const rank = process.env.WORLD_SIZE && process.env.WORLD_SIZE !== '1' ? ` (rank ${process.env.RANK})` : '';
    process.stderr.write(`train${rank}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
