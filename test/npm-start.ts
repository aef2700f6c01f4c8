// `npm start` as a test fixture: the README's first command in a process group of its own on a free
// port, waited for until /health answers, stopped with its whole tree (npm, tsx, wrangler, workerd).
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../scripts/lib/free-port.ts';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface LocalServer {
  readonly baseURL: string;
  readonly port: number;
  /** Everything the server printed so far. */
  output(): string;
  /** Whether the process tree is still up. */
  alive(): boolean;
  stop(): void;
}

export async function npmStart(env: Record<string, string | undefined> = {}, timeoutMs = 240_000): Promise<LocalServer> {
  const port = await freePort();
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CI: 'true', ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete fullEnv[name];
  const child = spawn('npm', ['start'], { cwd: ROOT, env: fullEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const server: LocalServer = {
    baseURL: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () => {
      if (child.pid !== undefined && server.alive()) process.kill(-child.pid, 'SIGTERM');
    },
  };
  await waitUntilServing(server, child, timeoutMs);
  return server;
}


async function waitUntilServing(server: LocalServer, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${server.output()}`);
    const ok = await fetch(`${server.baseURL}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npm start did not serve ${server.baseURL}/health within ${timeoutMs / 1000} s:\n${server.output()}`);
}
