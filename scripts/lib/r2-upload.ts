// Puts a model folder into R2 under `<model id>/<path>`, through wrangler: the local bucket of
// `wrangler dev` (the default), or a real bucket with --remote. Every file is verified against the
// manifest first, and the manifest goes last: the worker treats a model without a manifest as absent, so a half-uploaded
// model is never visible as complete.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILES } from '@attend/model-spec';
import { verifyModelFolder } from './model-folder.ts';
import { type Runner, spawnRunner } from './process-runner.ts';
import { REPO_ROOT } from './wrangler.ts';

const FP32_FILES: ReadonlySet<string> = new Set([MODEL_FILES.encoder, MODEL_FILES.decoder]);

export interface UploadOptions {
  readonly bucket: string;
  readonly remote: boolean;
  readonly persistTo?: string; // local state folder, as `wrangler dev --persist-to` (default .wrangler/state)
  readonly servingOnly: boolean; // skip the fp32 graphs, which the worker never serves
  readonly log: (line: string) => void;
  readonly runner?: Runner; // runs wrangler for --remote (default: the real one; a test passes a fake)
}

type PutObject = (key: string, path: string) => Promise<void>;

export async function uploadModel(dir: string, options: UploadOptions): Promise<void> {
  const manifest = await verifyModelFolder(dir);
  const files = manifest.files.filter((f) => !(options.servingOnly && FP32_FILES.has(f.path)));
  const paths = [...files.map((f) => f.path), MODEL_FILES.manifest];
  const store = options.remote ? remoteStore(options.bucket, options.runner ?? spawnRunner()) : await localStore(options.persistTo);
  try {
    for (const path of paths) {
      await store.put(`${manifest.id}/${path}`, join(dir, path));
      options.log(`  ${path}`);
    }
  } finally {
    await store.dispose();
  }
}

/** The local bucket of `wrangler dev`, opened once through wrangler's platform proxy (one process, fast). */
async function localStore(persistTo = join(REPO_ROOT, '.wrangler', 'state')): Promise<{ put: PutObject; dispose: () => Promise<void> }> {
  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy<{ MODELS: { put(key: string, value: Uint8Array): Promise<unknown> } }>({ configPath: join(REPO_ROOT, 'wrangler.toml'), persist: { path: join(persistTo, 'v3') } });
  return {
    put: async (key, path) => {
      await proxy.env.MODELS.put(key, readFileSync(path));
    },
    dispose: () => proxy.dispose(),
  };
}

/** A real R2 bucket, through the wrangler CLI (which holds the account's credentials). */
function remoteStore(bucket: string, run: Runner): { put: PutObject; dispose: () => Promise<void> } {
  return {
    put: async (key, path) => {
      const result = await run('wrangler', ['r2', 'object', 'put', `${bucket}/${key}`, '--file', path, '--remote']);
      if (result.status !== 0) {
        throw new Error(`wrangler could not put ${bucket}/${key}:\n${result.stderr || result.stdout}\n(run \`npx wrangler login\` or set CLOUDFLARE_API_TOKEN)`);
      }
    },
    dispose: async () => {},
  };
}

