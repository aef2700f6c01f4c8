// The worker as operators run it locally: `wrangler dev` on loopback over a seeded R2 state folder,
// and the memory of the workerd process it starts, read from /proc (Linux).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { REPO_ROOT, wranglerBin } from '../lib/wrangler.ts';

export interface LocalWorker {
  readonly url: string;
  /** RSS now and its high-water mark (VmHWM), summed over the workerd processes under wrangler. */
  memory(): ProcessMemory;
  health(): Promise<{ loaded: string[]; wasm_heap_bytes: number }>;
  stop(): Promise<void>;
}

export interface ProcessMemory {
  readonly rssBytes: number;
  readonly peakBytes: number;
}

export async function startWorker(options: { persistTo: string; apiKey: string }): Promise<LocalWorker> {
  const port = await freePort();
  const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', options.persistTo, '--log-level', 'warn'];
  const env = { ...process.env, API_KEYS: options.apiKey, WRANGLER_SEND_METRICS: 'false' };
  const child = spawn(process.execPath, [wranglerBin(), ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk));
  const url = `http://127.0.0.1:${port}/`;
  const worker: LocalWorker = {
    url,
    memory: () => workerdMemory(child),
    health: async () => (await (await fetch(`${url}health`)).json()) as { loaded: string[]; wasm_heap_bytes: number },
    stop: () => stopChild(child, workerdPids(child)),
  };
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log}`);
    if (await fetch(`${url}health`).then((r) => r.ok, () => false)) return worker;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await worker.stop();
  throw new Error(`wrangler dev did not answer on ${url} within 120 s:\n${log}`);
}

function workerdPids(child: ChildProcess): number[] {
  return child.pid === undefined ? [] : descendants(child.pid).filter((pid) => readProc(pid, 'comm')?.trim() === 'workerd');
}

function workerdMemory(child: ChildProcess): ProcessMemory {
  const pids = workerdPids(child);
  if (pids.length === 0) throw new Error(`no workerd process under wrangler (pid ${child.pid})`);
  let rssBytes = 0;
  let peakBytes = 0;
  for (const pid of pids) {
    const status = readProc(pid, 'status') ?? '';
    rssBytes += statusKb(status, 'VmRSS') * 1024;
    peakBytes += statusKb(status, 'VmHWM') * 1024;
  }
  return { rssBytes, peakBytes };
}

/** Every process whose chain of parents reaches `root` (from /proc/<pid>/stat's ppid field). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(Number(name), 'stat');
    if (!stat) continue;
    // pid (comm) state ppid ...: comm may hold spaces or parentheses, so parse after the last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  for (const queue = [root]; queue.length > 0; ) {
    for (const pid of children.get(queue.pop()!) ?? []) {
      found.push(pid);
      queue.push(pid);
    }
  }
  return found;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // the process ended while we looked
  }
}

export function statusKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc/<pid>/status has no ${field}`);
  return Number(match[1]);
}

/** Stops wrangler, then any workerd it left behind (by pid: only the ones it started). */
async function stopChild(child: ChildProcess, workerd: readonly number[]): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  for (const pid of workerd) {
    if (readProc(pid, 'comm')?.trim() !== 'workerd') continue; // gone (or its pid reused)
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
