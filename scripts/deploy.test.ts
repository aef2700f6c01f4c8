import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MANIFEST_FORMAT, sha256Hex } from '@attend/model-spec';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeployContext, deployedUrl } from './lib/deploy-steps.ts';
import { deployWorker, dryRun } from './lib/deploy-worker.ts';
import { type RunResult, type Runner, spawnRunner } from './lib/process-runner.ts';
import { REPO_ROOT } from './lib/wrangler.ts';

const KEY = 'a3f1c9e07b2d4c8e9f60a1b2c3d4e5f6a7b8c9d0e1f2a3b4'; // `openssl rand -hex 24`

describe('npm run deploy -- --dry-run (real wrangler, offline)', () => {
  it('builds the worker and measures what wrangler would upload, as wrangler counts it', async () => {
    const wranglerOutput: string[] = [];
    const real = spawnRunner(REPO_ROOT);
    const run: Runner = async (tool, args, options) => {
      const result = await real(tool, args, options);
      wranglerOutput.push(result.stdout);
      return result;
    };
    const lines: string[] = [];
    const size = await dryRun({ run, log: (l) => lines.push(l), root: REPO_ROOT, bucket: 'attend-models', env: {} });

    // wrangler's own "Total Upload: <KiB> / gzip: <KiB>" line is the figure Cloudflare checks.
    const total = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(wranglerOutput.join('\n'));
    expect(total, 'wrangler printed its Total Upload line').not.toBeNull();
    expect((size.bytes / 1024).toFixed(2)).toBe(total![1]);
    expect((size.gzipBytes / 1024).toFixed(2)).toBe(total![2]);
    expect(size.files.some((f) => f.name.endsWith('.wasm'))).toBe(true); // onnxruntime-web's wasm is counted
    expect(size.files.some((f) => f.name.endsWith('.map'))).toBe(false);
    expect(size.packages.map((p) => p.name)).toContain('onnxruntime-web');
    const free = size.gzipBytes <= 3 * 1024 * 1024 ? 'fits' : 'over by';
    expect(lines.find((l) => l.includes('Workers Free'))).toContain(free);
    expect(lines.find((l) => l.includes('Workers Paid'))).toContain('fits');
  });

  it('runs as the npm script, exit 0; a wrong flag exits 1 with the usage and no stack trace', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/deploy.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
    const ok = cli('--dry-run');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Workers Paid \(10 MiB gzip\): fits/);
    const bad = cli('--dry-run', '--bucket', 'x');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/deploy failed: Unknown option '--bucket'[\s\S]*usage: npm run deploy/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

/** A Cloudflare account in a table: answers each wrangler command, records the sequence. */
function fakeCloudflare(answers: { whoami?: RunResult; secrets?: RunResult; buckets?: string; bundleBytes?: number; remoteManifests?: Record<string, string> }) {
  const calls: string[] = [];
  const secretsSent: unknown[] = [];
  const secretsFiles: string[] = [];
  const ok = (stdout = ''): RunResult => ({ status: 0, stdout, stderr: '' });
  const run: Runner = async (tool, args) => {
    const [a, b, c, d] = args;
    calls.push([tool, ...args].join(' ').replace(/\/\S*attend-(bundle|secrets)-\w+/g, '<tmp>').replace(/\S*\/models\//g, 'models/'));
    if (tool === 'npm') return ok();
    if (a === 'deploy' && b === '--dry-run') {
      const outdir = args[args.indexOf('--outdir') + 1]!;
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, 'index.js'), 'export default {};\n'.repeat(100));
      writeFileSync(join(outdir, `${'0'.repeat(40)}-ort-wasm-simd-threaded.wasm`), randomBytes(answers.bundleBytes ?? 1000));
      return ok('Total Upload: ...');
    }
    if (a === 'whoami') return answers.whoami ?? ok(JSON.stringify({ loggedIn: true, email: 'op@example.com', accounts: [{ name: 'Op', id: 'acc1' }] }));
    if (a === 'secret') return answers.secrets ?? ok('[]');
    if (a === 'r2' && b === 'bucket' && c === 'list') return ok(`Listing buckets...\n${answers.buckets ?? 'name:           other\ncreation_date:  2026-01-01T00:00:00.000Z'}\n`);
    if (a === 'r2' && b === 'object' && c === 'get') {
      const text = answers.remoteManifests?.[d!.split('/')[1]!];
      return text === undefined ? { status: 1, stdout: '', stderr: 'The specified key does not exist.' } : ok(text);
    }
    if (a === 'deploy') {
      const file = args.includes('--secrets-file') ? args[args.indexOf('--secrets-file') + 1] : undefined;
      if (file) secretsFiles.push(file);
      if (file) secretsSent.push(JSON.parse(readFileSync(file, 'utf8')));
      return ok('Uploaded attend (3.1 sec)\nDeployed attend triggers (0.9 sec)\n  https://attend.op.workers.dev\nCurrent Version ID: 1\n');
    }
    return ok();
  };
  return { run, calls, secretsSent, secretsFiles };
}

const root = mkdtempSync(join(tmpdir(), 'attend-deploy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function modelFolder(id: string): Promise<string> {
  const dir = join(root, 'models', id);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const files = { 'config.json': '{}', 'onnx/encoder_model.onnx': 'fp32', 'onnx/encoder_model_quantized.onnx': 'int8' };
  const entries = [];
  for (const [path, content] of Object.entries(files)) {
    writeFileSync(join(dir, path), content);
    entries.push({ path, size: content.length, sha256: await sha256Hex(new TextEncoder().encode(content)) });
  }
  const manifest = JSON.stringify({ format: MANIFEST_FORMAT, id, source: 'en', target: 'es', created: '2026-01-01T00:00:00.000Z', files: entries });
  writeFileSync(join(dir, 'manifest.json'), manifest);
  return manifest;
}

const manifests = { 'm1': await modelFolder('m1'), 'm2': await modelFolder('m2') };

function context(run: Runner, env: Record<string, string> = { API_KEYS: KEY }): DeployContext & { lines: string[] } {
  const lines: string[] = [];
  return { run, log: (l) => lines.push(l), root, bucket: 'attend-models', env, lines };
}

describe('npm run deploy (a fake Cloudflare)', () => {
  it('builds and measures, checks login and keys, creates the bucket, uploads changed models manifest last, deploys', async () => {
    const cf = fakeCloudflare({ remoteManifests: { m2: manifests.m2 } });
    const ctx = context(cf.run);
    const url = await deployWorker(ctx, { open: false, reupload: false });
    expect(cf.calls).toEqual([
      'npm run build:web',
      'wrangler deploy --dry-run --outdir <tmp>/bundle --metafile <tmp>/meta.json',
      'wrangler whoami --json',
      'wrangler r2 bucket list',
      'wrangler r2 bucket create attend-models',
      'wrangler r2 object get attend-models/m1/manifest.json --remote --pipe',
      'wrangler r2 object put attend-models/m1/config.json --file models/m1/config.json --remote',
      'wrangler r2 object put attend-models/m1/onnx/encoder_model_quantized.onnx --file models/m1/onnx/encoder_model_quantized.onnx --remote',
      'wrangler r2 object put attend-models/m1/manifest.json --file models/m1/manifest.json --remote',
      'wrangler r2 object get attend-models/m2/manifest.json --remote --pipe', // unchanged in the bucket: skipped
      'wrangler deploy --secrets-file <tmp>/secrets.json',
    ]);
    expect(cf.secretsSent).toEqual([{ API_KEYS: KEY }]);
    expect(url).toBe('https://attend.op.workers.dev');
    expect(ctx.lines).toContain('  account: Op (acc1), as op@example.com');
    expect(ctx.lines.join('\n')).toContain(`curl -s ${url}/v1/translate -H 'authorization: Bearer <one of API_KEYS>'`);
    expect(cf.secretsFiles.filter((f) => existsSync(f))).toEqual([]); // the keys do not stay on disk
  });

  it('keeps the secret a deployed worker has, and the bucket that exists; --reupload uploads unchanged models', async () => {
    const cf = fakeCloudflare({ secrets: { status: 0, stdout: '[{"name":"API_KEYS","type":"secret_text"}]', stderr: '' }, buckets: 'name: attend-models', remoteManifests: manifests });
    await deployWorker(context(cf.run, {}), { open: false, reupload: true });
    expect(cf.calls.filter((c) => !c.includes('object put'))).toEqual([
      'npm run build:web',
      'wrangler deploy --dry-run --outdir <tmp>/bundle --metafile <tmp>/meta.json',
      'wrangler whoami --json',
      'wrangler secret list --format json',
      'wrangler r2 bucket list',
      'wrangler deploy',
    ]);
    expect(cf.calls.filter((c) => c.endsWith('manifest.json --remote'))).toHaveLength(2);
  });

  it('--open deploys an empty API_KEYS, loudly', async () => {
    const cf = fakeCloudflare({});
    const ctx = context(cf.run, {});
    await deployWorker(ctx, { open: true, reupload: false });
    expect(cf.secretsSent).toEqual([{ API_KEYS: '' }]);
    expect(ctx.lines.join('\n')).toMatch(/WARNING: --open/);
    expect(ctx.lines.join('\n')).toContain(`curl -s https://attend.op.workers.dev/v1/translate -H 'content-type`);
  });

  const refusals: [string, Parameters<typeof fakeCloudflare>[0], Record<string, string>, RegExp, string][] = [
    ['not logged in', { whoami: { status: 1, stdout: '{"loggedIn":false}', stderr: '' } }, {}, /not logged in.*npx wrangler login.*CLOUDFLARE_API_TOKEN/, 'wrangler whoami --json'],
    ['several accounts and none chosen', { whoami: { status: 0, stdout: '{"loggedIn":true,"accounts":[{"name":"A","id":"1"},{"name":"B","id":"2"}]}', stderr: '' } }, {}, /set CLOUDFLARE_ACCOUNT_ID to one of A \(1\), B \(2\)/, 'wrangler whoami --json'],
    ['a first deploy without keys', { secrets: { status: 1, stdout: '', stderr: '✘ [ERROR] Worker "attend" not found.' } }, {}, /no API_KEYS secret.*openssl rand -hex 24.*--open/, 'wrangler secret list --format json'],
    ['a key too short', {}, { API_KEYS: 'short' }, /shorter than 16 characters/, 'wrangler whoami --json'],
    ['a bundle over the Paid plan', { bundleBytes: 10.5 * 1024 * 1024 }, {}, /over the Paid plan's 10 MiB/, 'wrangler deploy --dry-run --outdir <tmp>/bundle --metafile <tmp>/meta.json'],
  ];
  for (const [name, answers, env, message, lastCall] of refusals) {
    it(`refuses ${name} with what to do, before changing anything`, async () => {
      const cf = fakeCloudflare(answers);
      await expect(deployWorker(context(cf.run, env), { open: false, reupload: false })).rejects.toThrow(message);
      expect(cf.calls.at(-1)).toBe(lastCall);
      expect(cf.calls.some((c) => c.includes('bucket create') || c.includes('object put') || c === 'wrangler deploy')).toBe(false);
    });
  }
});

describe('the address wrangler deployed to', () => {
  it('is the custom domain when there is one, else workers.dev; a zone route is not an address', () => {
    const triggers = 'Deployed attend triggers (1.2 sec)\n  https://attend.op.workers.dev\n';
    expect(deployedUrl(triggers)).toBe('https://attend.op.workers.dev');
    expect(deployedUrl(`${triggers}  translate.example.com (custom domain)\n`)).toBe('https://translate.example.com');
    expect(deployedUrl('Deployed attend triggers (1.2 sec)\n  example.com/v1/* (zone name: example.com)\n')).toBeUndefined();
  });
});
