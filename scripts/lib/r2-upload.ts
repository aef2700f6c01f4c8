// Puts a model folder into R2 under `<model id>/<path>`, through wrangler: the local bucket of
// `wrangler dev` (the default), or a real bucket with --remote. Every file is verified against the
// manifest first, and the manifest goes last: the worker treats a model without a manifest as absent, so a half-uploaded
// model is never visible as complete. A named glossary goes to `glossaries/<source>-<target>/<name>.json`
// (protocol's glossaryKey), validated first.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_FILES } from '@attend/model-spec';
import { glossaryKey } from '@attend/protocol';
import { type Pair, readStoredGlossary } from './glossary-file.ts';
import { verifyModelFolder } from './model-folder.ts';
import { type Runner, spawnRunner } from './process-runner.ts';
import { REPO_ROOT } from './wrangler.ts';

const FP32_FILES: ReadonlySet<string> = new Set([MODEL_FILES.encoder, MODEL_FILES.decoder]);

export interface StoreOptions {
  readonly bucket: string;
  readonly remote: boolean;
  readonly persistTo?: string; // local state folder, as `wrangler dev --persist-to` (default .wrangler/state)
  readonly log: (line: string) => void;
  readonly runner?: Runner; // runs wrangler for --remote (default: the real one; a test passes a fake)
}

export interface UploadOptions extends StoreOptions {
  readonly servingOnly: boolean; // skip the fp32 graphs, which the worker never serves
}

type PutObject = (key: string, path: string) => Promise<void>;

export async function uploadModel(dir: string, options: UploadOptions): Promise<void> {
  const manifest = await verifyModelFolder(dir);
  const files = manifest.files.filter((f) => !(options.servingOnly && FP32_FILES.has(f.path)));
  const paths = [...files.map((f) => f.path), MODEL_FILES.manifest];
  const store = await openStore(options);
  try {
    for (const path of paths) {
      await store.put(`${manifest.id}/${path}`, join(dir, path));
      options.log(`  ${path}`);
    }
  } finally {
    await store.dispose();
  }
}

/** Validates a TSV or JSON glossary file and puts it where the worker reads glossary `name` of `pair`; returns its key. */
export async function uploadGlossary(file: string, pair: Pair, name: string, options: StoreOptions): Promise<string> {
  const glossary = await readStoredGlossary(file, pair, name);
  const key = glossaryKey(pair, name);
  const staging = await mkdtemp(join(tmpdir(), 'attend-glossary-'));
  const store = await openStore(options);
  try {
    const path = join(staging, `${name}.json`);
    await writeFile(path, JSON.stringify(glossary));
    await store.put(key, path);
    options.log(`  ${key} (${glossary.entries.length} entries)`);
  } finally {
    await store.dispose();
    await rm(staging, { recursive: true, force: true });
  }
  return key;
}

function openStore(options: StoreOptions): Promise<{ put: PutObject; dispose: () => Promise<void> }> {
  return options.remote ? Promise.resolve(remoteStore(options.bucket, options.runner ?? spawnRunner())) : localStore(options.persistTo);
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

