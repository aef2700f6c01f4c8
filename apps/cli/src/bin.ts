#!/usr/bin/env node
// In this checkout `translate` runs this file as it is (Node >= 22.18 strips the types); the package
// ships it compiled to dist/bin.js, for Node 20+ (see sdk/scripts/pack-manifest.mjs).
import { readFile } from 'node:fs/promises';
import { run } from './run.ts';

const controller = new AbortController();
// Ctrl-C aborts the request in flight; destroying stdin also ends a read that waits on a pipe.
process.once('SIGINT', () => {
  controller.abort();
  process.stdin.destroy();
});
// A reader that stops early (`translate ... | head -1`) closes the pipe; that is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await run({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  readFile: (path) => readFile(path, 'utf8'),
  signal: controller.signal,
});
