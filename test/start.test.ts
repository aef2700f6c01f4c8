// The README's first command, end to end: `npm start` (build the page, seed the local R2 bucket from
// models/, `wrangler dev`) serves the shipped English<->Spanish models, and a streamed translation of an
// ordinary sentence comes back through the SDK in each direction.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client } from '@attend/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFolders, readManifest } from '../scripts/lib/model-folder.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SENTENCES = { en: 'Open the file menu.', es: 'Abra el menú Archivo.' } as const;
// Words any usable translation of them keeps: the shipped models, not random weights, answer.
const EXPECTED = { es: [/men[uú]/i, /archivo/i], en: [/menu/i, /file/i] } as const;

let server: ChildProcess;
let output = '';
let baseURL: string;
let client: Client;

beforeAll(async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CI: 'true' };
  delete env.API_KEYS; // open access, as on a newcomer's machine
  // Its own process group, so the whole tree (npm, tsx, wrangler, workerd) stops with it.
  server = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  baseURL = `http://127.0.0.1:${port}`;
  client = new Client({ baseURL, maxRetries: 0 });
  await waitUntilServing(`${baseURL}/health`, 240_000);
});

afterAll(() => {
  if (server?.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
});

describe('npm start', () => {
  it('serves every model folder under models/, both directions of English<->Spanish among them', async () => {
    const { models } = await client.models.list();
    const shipped = modelFolders(`${ROOT}models`).map((dir) => readManifest(dir).id);
    expect(models.map((m) => m.id).sort()).toEqual(shipped.sort());
    const { pairs } = await client.languages.list();
    expect(pairs.map((p) => `${p.source}-${p.target}`)).toEqual(expect.arrayContaining(['en-es', 'es-en']));
  });

  it.each([
    ['en', 'es'],
    ['es', 'en'],
  ] as const)('streams a %s->%s translation token by token', async (source, target) => {
    const stream = client.translate.stream({ text: SENTENCES[source], source, target });
    const deltas: string[] = [];
    for await (const event of stream) if (event.type === 'delta') deltas.push(event.text);
    const answer = await stream.finalResponse();
    const text = answer.translations[0]?.text ?? '';
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(text);
    expect(text.trim()).not.toBe('');
    for (const word of EXPECTED[target]) expect(text).toMatch(word);
    expect(answer).toMatchObject({ source, target });
  });

  it('keeps the wasm heap far below the 128 MB isolate with both models loaded', async () => {
    const health = (await (await fetch(`${baseURL}/health`)).json()) as { loaded: string[]; wasm_heap_bytes: number };
    expect(health.loaded.sort()).toEqual(['en-es-tiny', 'es-en-tiny']);
    expect(health.wasm_heap_bytes).toBeLessThan(64 * 2 ** 20);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilServing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}:\n${output}`);
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npm start did not serve ${url} within ${timeoutMs / 1000} s:\n${output}`);
}
