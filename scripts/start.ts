// npm start: seed the local R2 bucket with every model folder under models/, then serve the worker
// locally with `wrangler dev` (the same bucket, the same bundle as production).
import { spawn } from 'node:child_process';
import { apiKeysProblem, configuredApiKeys } from '@attend/protocol';
import { join } from 'node:path';
import { modelFolders } from './lib/model-folder.ts';
import { uploadModel } from './lib/r2-upload.ts';
import { DEFAULT_BUCKET, REPO_ROOT, wranglerBin } from './lib/wrangler.ts';

/** wrangler dev reads API_KEYS from this process's environment (wrangler.toml [secrets]); the worker
 *  would answer 500 to every authenticated request while a key is too short: say so before serving. */
function checkApiKeys(secret: string | undefined): void {
  const problem = apiKeysProblem(configuredApiKeys(secret));
  if (problem) throw new Error(`${problem}; or unset API_KEYS for open local access`);
}

async function main(): Promise<void> {
  checkApiKeys(process.env.API_KEYS);
  const port = process.env.PORT ?? '8787';
  const folders = modelFolders(join(REPO_ROOT, 'models'));
  if (folders.length === 0) console.warn('models/ holds no model folder: the API will answer 404 for every language pair');
  for (const dir of folders) {
    console.log(`seeding local R2 with ${dir}`);
    await uploadModel(dir, { bucket: DEFAULT_BUCKET, remote: false, servingOnly: true, log: () => {} });
  }
  const dev = spawn(process.execPath, [wranglerBin(), 'dev', '--port', port, '--ip', '127.0.0.1', ...process.argv.slice(2)], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
  dev.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: Error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
