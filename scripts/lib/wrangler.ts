// Where the project's wrangler lives and the models bucket it names (wrangler.toml).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function wranglerBin(): string {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  return join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js');
}

/** bucket_name of the MODELS binding in wrangler.toml. */
export const DEFAULT_BUCKET = (() => {
  const toml = readFileSync(join(REPO_ROOT, 'wrangler.toml'), 'utf8');
  return /bucket_name\s*=\s*"([^"]+)"/.exec(toml)?.[1] ?? 'attend-models';
})();
