// npm run deploy -- [--dry-run] [--open] [--reupload]
// From a Cloudflare account to a running worker: build and measure the bundle, check the login and the
// API_KEYS secret, create the R2 bucket if missing, upload every model under models/, `wrangler deploy`.
// --dry-run stops after the measurement and needs no account or network.
import { parseArgs } from 'node:util';
import { deployWorker, dryRun } from './lib/deploy-worker.ts';
import { spawnRunner } from './lib/process-runner.ts';
import { DEFAULT_BUCKET, REPO_ROOT } from './lib/wrangler.ts';

const USAGE = 'usage: npm run deploy -- [--dry-run] [--open] [--reupload]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'dry-run': { type: 'boolean', default: false },
        open: { type: 'boolean', default: false }, // no API keys: anyone may translate
        reupload: { type: 'boolean', default: false }, // upload models the bucket already holds unchanged
      },
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const ctx = { run: spawnRunner(REPO_ROOT), log: (line: string) => console.log(line), root: REPO_ROOT, bucket: DEFAULT_BUCKET, env: process.env };
  if (values['dry-run']) await dryRun(ctx);
  else await deployWorker(ctx, { open: values.open, reupload: values.reupload });
}

main().catch((error: Error) => {
  console.error(`deploy failed: ${error.message}`);
  process.exit(1);
});
