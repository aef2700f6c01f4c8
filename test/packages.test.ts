// The SDK and the CLI as a stranger gets them: `npm pack` of sdk/ and apps/cli, installed from the
// two tarballs (offline) into an empty project, then used from plain ESM JavaScript, from strict
// TypeScript (nodenext and bundler resolution), and as `npx translate` on the machine's own Node (20
// here, the oldest the packages support), against a local server that speaks the protocol.
// The packing runs on copies of the two packages: `npm pack` rewrites package.json while it packs
// (sdk/scripts/pack-manifest.mjs), and other tests resolve @attend/sdk from this checkout meanwhile.
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../apps/cli/src/test-server.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const API_KEY = 'packages-test-key';
const PACKAGES = { sdk: 'sdk', cli: 'apps/cli' } as const;

interface Packed {
  readonly tarball: string;
  readonly files: string[];
  /** package.json of the copy before and after `npm pack`. */
  readonly manifest: { readonly before: string; readonly after: string };
}

let dir: string;
let project: string;
let server: TestServer;
let packed: Record<keyof typeof PACKAGES, Packed>;
let systemNode: string;

beforeAll(async () => {
  server = await startTestServer({ apiKey: API_KEY });
  dir = await mkdtemp(join(tmpdir(), 'attend-packages-'));
  await copyPackages();
  const [sdk, cli] = await Promise.all([pack(PACKAGES.sdk), pack(PACKAGES.cli)]);
  packed = { sdk, cli };
  project = join(dir, 'project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // Offline: the CLI's dependency on @attend/sdk must be met by the SDK's tarball, not by a registry.
  await npm(['install', '--offline', '--no-audit', '--no-fund', '--cache', join(dir, 'cache'), sdk.tarball, cli.tarball], project);
  systemNode = await findSystemNode();
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it.each(Object.keys(PACKAGES) as Array<keyof typeof PACKAGES>)('%s: ships the compiled files only, and leaves package.json as it was', (name) => {
    const { files, manifest } = packed[name];
    expect(files.filter((f) => !/^dist\/[\w-]+\.(js|d\.ts)$/.test(f)).sort()).toEqual(['README.md', 'package.json']);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((f) => f.includes('test'))).toEqual([]);
    expect(manifest.after).toBe(manifest.before);
  });

  it('under `npm publish`, keeps the packed package.json until postpublish, which the registry reads after packing', async () => {
    const cwd = join(dir, 'repo', PACKAGES.sdk);
    const script = (event: string, command: string) =>
      exec(process.execPath, ['scripts/pack-manifest.mjs', command], cwd, { ...cleanEnv(), npm_command: 'publish', npm_lifecycle_event: event });
    const exportsNow = async () => JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')).exports['.'];
    await script('prepack', 'apply');
    await script('postpack', 'restore');
    expect(await exportsNow()).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    await script('postpublish', 'restore');
    expect(await exportsNow()).toBe('./src/index.ts');
    expect(existsSync(join(cwd, 'package.repo.json'))).toBe(false);
  });

  it('points exports and bin at dist/ in the installed packages', async () => {
    const sdk = JSON.parse(await readFile(join(project, 'node_modules/@attend/sdk/package.json'), 'utf8'));
    expect(sdk.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' } });
    const cli = JSON.parse(await readFile(join(project, 'node_modules/@attend/cli/package.json'), 'utf8'));
    expect(cli).toMatchObject({ bin: { translate: './dist/bin.js' }, engines: { node: '>=20' }, dependencies: { '@attend/sdk': '^0.1.0' } });
    expect(cli.private).toBeUndefined();
    const bin = await readFile(join(project, 'node_modules/@attend/cli/dist/bin.js'), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('the installed SDK', () => {
  it("works from plain ESM JavaScript on the machine's Node and on this repository's", async () => {
    const script = [
      "import { Client } from '@attend/sdk';",
      '// No options: ATTEND_BASE_URL and ATTEND_API_KEY say where and who.',
      'const client = new Client();',
      "const { data, request_id } = await client.translate({ text: 'Hello world', target: 'es' }).withResponse();",
      "const lines = await new Response(client.translate.stream({ text: 'Good morning', target: 'es' }).toReadableStream()).text();",
      "const events = lines.trim().split('\\n').map((line) => JSON.parse(line).type);",
      'console.log(JSON.stringify({ text: data.translations[0].text, request_id, events }));',
    ].join('\n');
    await writeFile(join(project, 'translate.mjs'), script);
    const env = { ...cleanEnv(), ATTEND_BASE_URL: server.url, ATTEND_API_KEY: API_KEY };
    for (const node of [systemNode, process.execPath]) {
      const { stdout } = await exec(node, ['translate.mjs'], project, env);
      expect(JSON.parse(stdout), node).toEqual({ text: 'hola mundo', request_id: 'req_json', events: ['start', 'delta', 'delta', 'done'] });
    }
  });

  it('says where to give the URL when neither the options nor the environment do', async () => {
    const failure = await exec(systemNode, ['-e', "import('@attend/sdk').then(({ Client }) => new Client())"], project, cleanEnv()).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(
      'AttendError: Missing base URL: pass `baseURL` to the client, e.g. new Client({ baseURL: "https://..." }), or set ATTEND_BASE_URL.',
    );
  });

  it.each(['nodenext', 'bundler'] as const)('type-checks under tsc --strict with %s resolution, declarations included', async (resolution) => {
    await writeFile(join(project, 'check.ts'), TYPESCRIPT_USER);
    const options =
      resolution === 'nodenext'
        ? // A Node project: Node's types, no DOM.
          { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] }
        : // A browser bundle: the DOM, no Node.
          { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] };
    const config = { compilerOptions: { strict: true, target: 'es2022', noEmit: true, ...options }, files: ['check.ts'] };
    await writeFile(join(project, `tsconfig.${resolution}.json`), JSON.stringify(config));
    const result = await exec(process.execPath, [TSC, '-p', `tsconfig.${resolution}.json`], project, cleanEnv()).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: unknown; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result).toEqual({ code: 0, stdout: '' });
  });
});

describe('the installed CLI', () => {
  it("runs with `npx translate` on the machine's Node", async () => {
    expect(await realpath(systemNode)).not.toBe(await realpath(process.execPath));
    const { stdout: version } = await exec(systemNode, ['--version'], project, cleanEnv());
    expect(Number(/^v(\d+)\./.exec(version)?.[1])).toBeGreaterThanOrEqual(20);

    // The machine's Node first on PATH, so that npx and the bin's `#!/usr/bin/env node` both run on it.
    const path = [dirname(systemNode), ...(process.env.PATH ?? '').split(delimiter).filter((p) => !p.startsWith(ROOT))].join(delimiter);
    const env = { ...cleanEnv(), PATH: path, ATTEND_URL: server.url, ATTEND_API_KEY: API_KEY };
    const { stdout } = await exec('npx', ['--offline', '--no', 'translate', 'Hello world', '--to', 'es'], project, env);
    expect(stdout).toBe('hola mundo\n');
  });
});

// A user's strict TypeScript: every `const x: T` and the @ts-expect-error fail to compile if the
// package's types are missing (everything `any`) or wrong.
const TYPESCRIPT_USER = `
import { APIError, APIPromise, Client, TranslationStream, type TranslateResponse, type TranslationStreamEvent, type WithResponse } from '@attend/sdk';

export async function main(): Promise<string[]> {
  const client = new Client({ baseURL: 'http://127.0.0.1:9', apiKey: null, maxRetries: 0 });
  const call: APIPromise<TranslateResponse> = client.translate({ text: 'Hello', target: 'es', options: { beam_size: 2 } });
  const answered: WithResponse<TranslateResponse> = await call.withResponse();
  const requestID: string | null = answered.request_id;
  const texts: string[] = [requestID ?? '', ...(await call).translations.map((t) => t.text)];
  for await (const event of client.translate.stream({ text: ['a', 'b'], target: 'es' })) {
    const typed: TranslationStreamEvent = event;
    if (typed.type === 'delta') texts.push(typed.text);
  }
  const body: ReadableStream<Uint8Array> = client.translate.stream({ text: 'a', target: 'es' }).toReadableStream();
  texts.push(await TranslationStream.fromReadableStream(body).finalText());
  try {
    await client.models.list();
  } catch (error) {
    if (error instanceof APIError) texts.push(error.requestID ?? '');
  }
  // @ts-expect-error \`target\` is required
  await client.translate({ text: 'Hello' });
  return texts;
}
`;

/** Copies the two packages, laid out as in this checkout, next to this checkout's node_modules (tsc, @attend/sdk). */
async function copyPackages(): Promise<void> {
  const repo = join(dir, 'repo');
  for (const path of Object.values(PACKAGES)) {
    await cp(join(ROOT, path), join(repo, path), {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist|package\.repo\.json)$/.test(source),
    });
  }
  await copyFile(join(ROOT, 'tsconfig.base.json'), join(repo, 'tsconfig.base.json'));
  await symlink(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
}

async function pack(path: string): Promise<Packed> {
  const cwd = join(dir, 'repo', path);
  const before = await readFile(join(cwd, 'package.json'), 'utf8');
  const { stdout } = await npm(['pack', '--json', '--pack-destination', dir], cwd);
  const [result] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (!result) throw new Error(`npm pack printed no result: ${stdout}`);
  const after = await readFile(join(cwd, 'package.json'), 'utf8');
  return { tarball: join(dir, result.filename), files: result.files.map((f) => f.path), manifest: { before, after } };
}

function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return exec('npm', args, cwd, cleanEnv());
}

// Asynchronous, never execFileSync: the test server answers from this process's event loop.
function exec(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(file, args, { cwd, env, timeout: 60_000 });
}

/** This process's environment without what `npm test` adds (npm_* settings of this checkout) or ATTEND_*. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|ATTEND_|INIT_CWD$)/i.test(key)));
}

/** The first `node` on PATH that is not this checkout's (node_modules/.bin/node is the `node` package, 22). */
async function findSystemNode(): Promise<string> {
  const candidates = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin', '/usr/bin'];
  for (const entry of candidates) {
    const node = join(entry, 'node');
    if (entry && !entry.startsWith(ROOT) && existsSync(node)) return node;
  }
  throw new Error('No Node outside this checkout on PATH: install Node 20+ on the machine to check the packages on it.');
}
