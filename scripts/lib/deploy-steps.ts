// The steps of `npm run deploy`, each one wrangler or npm command through an injectable Runner, each
// failing with what to do next. deploy-worker.ts puts them in order.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_FILES } from '@attend/model-spec';
import { apiKeysProblem, configuredApiKeys } from '@attend/protocol';
import { type BundleSize, measureBundle } from './bundle-size.ts';
import { modelFolders, readManifest } from './model-folder.ts';
import { type Runner, failureText } from './process-runner.ts';
import { uploadModel } from './r2-upload.ts';

export interface DeployContext {
  readonly run: Runner;
  readonly log: (line: string) => void;
  readonly root: string; // the repository: wrangler.toml, models/, apps/web/dist
  readonly bucket: string; // bucket_name of the MODELS binding
  readonly env: Readonly<Record<string, string | undefined>>; // API_KEYS, CLOUDFLARE_ACCOUNT_ID
}

const LOGIN_HINT = 'run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN (a token with Workers Scripts and R2 edit rights)';

/** `always`: a deploy must not ship a stale page; a dry run only needs one to exist. */
export async function buildPage(ctx: DeployContext, always: boolean): Promise<void> {
  if (!always && existsSync(join(ctx.root, 'apps', 'web', 'dist', 'index.html'))) return;
  const result = await ctx.run('npm', ['run', 'build:web']);
  if (result.status !== 0) throw new Error(`\`npm run build:web\` failed:\n${failureText(result)}`);
}

/** What `wrangler deploy` would upload, built offline into a temporary folder and measured. */
export async function buildBundle(ctx: DeployContext): Promise<BundleSize> {
  const dir = mkdtempSync(join(tmpdir(), 'attend-bundle-'));
  try {
    const outdir = join(dir, 'bundle');
    const metafile = join(dir, 'meta.json');
    const result = await ctx.run('wrangler', ['deploy', '--dry-run', '--outdir', outdir, '--metafile', metafile]);
    if (result.status !== 0) throw new Error(`\`wrangler deploy --dry-run\` could not build the worker:\n${failureText(result)}`);
    return measureBundle(outdir, metafile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface WhoAmI {
  readonly loggedIn: boolean;
  readonly email?: string;
  readonly accounts?: readonly { readonly name: string; readonly id: string }[];
}

/** The account the deploy goes to, as "name (id)"; wrangler would prompt for one where a login has several. */
export async function checkLogin(ctx: DeployContext): Promise<string> {
  const result = await ctx.run('wrangler', ['whoami', '--json']);
  const who = parseJson<WhoAmI>(result.stdout, '{');
  if (who?.loggedIn === false) throw new Error(`not logged in to Cloudflare: ${LOGIN_HINT}`);
  if (result.status !== 0 || !who) throw new Error(`\`wrangler whoami\` failed (is Cloudflare's API reachable?):\n${failureText(result)}`);
  const accounts = who.accounts ?? [];
  const as = who.email ? `, as ${who.email}` : '';
  const chosen = ctx.env.CLOUDFLARE_ACCOUNT_ID;
  const list = accounts.map((a) => `${a.name} (${a.id})`).join(', ');
  if (chosen) {
    // A token without the right to list accounts lists none: then the id is taken as given.
    const named = accounts.find((a) => a.id === chosen);
    if (!named && accounts.length > 0) throw new Error(`CLOUDFLARE_ACCOUNT_ID=${chosen} is not one of this login's accounts: ${list}`);
    return `${named?.name ?? 'account'} (${chosen})${as}`;
  }
  if (accounts.length === 1) return `${accounts[0]!.name} (${accounts[0]!.id})${as}`;
  throw new Error(accounts.length === 0
    ? 'this login lists no account: set CLOUDFLARE_ACCOUNT_ID (the Account ID on the dashboard\'s Workers page)'
    : `this login has several accounts: set CLOUDFLARE_ACCOUNT_ID to one of ${list}`);
}

/**
 * The API_KEYS secret to send with the deploy, or undefined to keep the one the worker has. Keys in this
 * process's environment replace it (the only way to key a worker's first deploy: wrangler.toml requires
 * the secret, and `wrangler secret put` needs an existing worker); `open` sends an empty one.
 */
export async function apiKeysSecret(ctx: DeployContext, open: boolean): Promise<string | undefined> {
  const keys = configuredApiKeys(ctx.env.API_KEYS);
  if (keys.length > 0 && open) throw new Error('both API_KEYS and --open are set: unset API_KEYS to deploy open, or leave out --open');
  if (keys.length > 0) {
    const problem = apiKeysProblem(keys);
    if (problem) throw new Error(problem);
    ctx.log(`  API_KEYS: ${keys.length} key${keys.length === 1 ? '' : 's'} from this environment, set with the deploy`);
    return keys.join(',');
  }
  if (open) {
    ctx.log('  WARNING: --open: API_KEYS set empty; anyone who finds the URL can translate on your account\'s CPU time');
    return '';
  }
  if (await workerHasSecret(ctx, 'API_KEYS')) {
    ctx.log('  API_KEYS: already set on the worker, kept');
    return undefined;
  }
  throw new Error(
    'the worker has no API_KEYS secret: deploy with keys, `API_KEYS=$(openssl rand -hex 24) npm run deploy` ' +
      '(keep the key: clients send it as `Authorization: Bearer <key>`), or set them on a deployed worker with ' +
      '`npx wrangler secret put API_KEYS`; to serve everyone without keys, `npm run deploy -- --open`',
  );
}

async function workerHasSecret(ctx: DeployContext, name: string): Promise<boolean> {
  const result = await ctx.run('wrangler', ['secret', 'list', '--format', 'json']);
  // A first deploy: the worker, and so its secrets, do not exist yet.
  if (result.status !== 0 && /Worker "[^"]*".* not found/.test(result.stderr + result.stdout)) return false;
  const secrets = parseJson<{ name: string }[]>(result.stdout, '[');
  if (result.status !== 0 || !secrets) throw new Error(`\`wrangler secret list\` failed:\n${failureText(result)}\n(${LOGIN_HINT})`);
  return secrets.some((s) => s.name === name);
}

export async function ensureBucket(ctx: DeployContext): Promise<void> {
  const list = await ctx.run('wrangler', ['r2', 'bucket', 'list']);
  if (list.status !== 0) throw new Error(`\`wrangler r2 bucket list\` failed:\n${failureText(list)}\n(R2 must be enabled on the account: dashboard, R2, once)`);
  const names = [...list.stdout.matchAll(/^name:\s+(\S+)\s*$/gm)].map((m) => m[1]);
  if (names.includes(ctx.bucket)) {
    ctx.log(`  bucket ${ctx.bucket} exists`);
    return;
  }
  const create = await ctx.run('wrangler', ['r2', 'bucket', 'create', ctx.bucket]);
  if (create.status !== 0) throw new Error(`could not create the R2 bucket ${ctx.bucket}:\n${failureText(create)}`);
  ctx.log(`  bucket ${ctx.bucket} created`);
}

/** Every model folder under models/, skipping those whose manifest the bucket already holds unchanged
 *  (the manifest goes last, so a manifest in the bucket means its files are all there). */
export async function uploadModels(ctx: DeployContext, reupload: boolean): Promise<void> {
  const folders = modelFolders(join(ctx.root, 'models'));
  if (folders.length === 0) ctx.log('  WARNING: models/ holds no model folder: the API will answer 404 for every language pair');
  for (const dir of folders) {
    const { id } = readManifest(dir);
    if (!reupload && (await remoteManifest(ctx, id)) === readFileSync(join(dir, MODEL_FILES.manifest), 'utf8')) {
      ctx.log(`  ${id}: already in the bucket, unchanged`);
      continue;
    }
    ctx.log(`  ${id}: uploading`);
    await uploadModel(dir, { bucket: ctx.bucket, remote: true, servingOnly: true, runner: ctx.run, log: (line) => ctx.log(`  ${line}`) });
  }
}

/** The manifest the bucket holds for a model, as text; undefined when it holds none. */
async function remoteManifest(ctx: DeployContext, id: string): Promise<string | undefined> {
  const result = await ctx.run('wrangler', ['r2', 'object', 'get', `${ctx.bucket}/${id}/${MODEL_FILES.manifest}`, '--remote', '--pipe']);
  return result.status === 0 ? result.stdout : undefined;
}

/** `wrangler deploy`, its output shown as it comes; the worker's URL, when wrangler prints one. */
export async function publishWorker(ctx: DeployContext, apiKeys: string | undefined): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'attend-secrets-'));
  try {
    const args = ['deploy'];
    if (apiKeys !== undefined) {
      const secretsFile = join(dir, 'secrets.json');
      writeFileSync(secretsFile, JSON.stringify({ API_KEYS: apiKeys }), { mode: 0o600 });
      args.push('--secrets-file', secretsFile);
    }
    const result = await ctx.run('wrangler', args, { echo: true });
    if (result.status !== 0) throw new Error(`\`wrangler deploy\` failed (its output is above):\n${failureText(result)}`);
    return deployedUrl(result.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where wrangler says the worker answers: a custom domain if it has one, else its workers.dev address
 *  (a zone route is a pattern, not an address). */
export function deployedUrl(output: string): string | undefined {
  const domain = /^\s+(\S+) \(custom domain\)/m.exec(output)?.[1];
  return domain ? `https://${domain}` : /https:\/\/\S+\.workers\.dev\b/.exec(output)?.[0];
}

/** The JSON value in a command's output, which may carry a banner before it. */
function parseJson<T>(output: string, opening: '{' | '['): T | undefined {
  const start = output.indexOf(opening);
  if (start < 0) return undefined;
  try {
    return JSON.parse(output.slice(start)) as T;
  } catch {
    return undefined;
  }
}
