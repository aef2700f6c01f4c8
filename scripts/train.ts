// `npm run train -- --config FILE.yaml [--fresh] [--optim.lr 0.001 ...]`
// Trains a Transformer from the config (YAML or JSON; any key overridable on the command line). An
// outDir that holds checkpoints is resumed from its latest one unless --fresh. Ctrl-C stops after the
// current update and saves; a second Ctrl-C quits at once. The last line of stdout is the run summary
// as JSON. Relative paths are read from the working directory (the repository root under npm run).
import { pathToFileURL } from 'node:url';
import { applyOverrides, readConfigFile, resolveTrainConfig, type TrainConfig } from './train/train-config.ts';

const USAGE = 'usage: npm run train -- --config FILE.yaml [--fresh] [--section.key value ...]';

export interface TrainArgs {
  readonly config: TrainConfig;
  readonly fresh: boolean;
}

export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  let configFile: string | undefined;
  let fresh = false;
  const overrides: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--fresh') fresh = true;
    else if (arg === '--config') configFile = argv[++i];
    else if (arg.startsWith('--config=')) configFile = arg.slice('--config='.length);
    else overrides.push(arg);
  }
  if (configFile === undefined && overrides.length === 0) throw new Error(`pass --config FILE.yaml\n${USAGE}`);
  const base = configFile === undefined ? {} : readConfigFile(configFile);
  return { config: resolveTrainConfig(applyOverrides(base, overrides)), fresh };
}

async function main(): Promise<void> {
  const args = parseTrainArgs(process.argv.slice(2));
  // Loaded after the arguments are checked: it loads libtorch.
  const { train } = await import('./train/trainer.ts');
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after this update (Ctrl-C again to quit without saving)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const summary = await train(args.config, { fresh: args.fresh, signal: controller.signal });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`train: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
