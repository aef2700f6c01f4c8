export { run, type CliIO, type Writer } from './run.ts';
export { parseCliArgs, USAGE, type CliConfig } from './args.ts';
export { UsageError, InputError } from './cli-errors.ts';
