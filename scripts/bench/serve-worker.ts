// The worker in workerd, started by wrangler's test harness from the root wrangler.toml (as
// test/sdk-worker.test.ts does), its local R2 bucket seeded with model folders; and the memory of the
// workerd process, read from /proc (Linux).
//
// Why not `wrangler dev`: after a burst of ~200 concurrent streams the next request through its
// ProxyWorker fails ("Network connection lost", read: Connection reset by peer) and wrangler dev exits
// on that error. The harness has no ProxyWorker; the same next request can fail once, then it serves.
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILES } from '@attend/model-spec';
import { createTestHarness } from 'wrangler';
import { verifyModelFolder } from '../lib/model-folder.ts';
import { REPO_ROOT } from '../lib/wrangler.ts';

export interface LocalWorker {
  readonly url: string;
  /** RSS now and its high-water mark (VmHWM), of each workerd process the harness started. */
  memory(): ReadonlyMap<number, ProcessMemory>;
  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(pid: number): number;
  health(): Promise<Health>;
  stop(): Promise<void>;
}

export interface Health {
  readonly loaded: string[];
  readonly wasm_heap_bytes: number;
}

export interface ProcessMemory {
  readonly rssBytes: number;
  readonly peakBytes: number;
}

type R2Put = { MODELS: { put(key: string, value: Uint8Array): Promise<unknown> } };

/** Starts the worker and puts each model folder under `<id>/` in its bucket, manifest.json last. */
export async function startWorker(options: { modelDirs: readonly string[]; apiKey: string }): Promise<LocalWorker> {
  const before = new Set(workerdPids());
  const harness = createTestHarness({ root: REPO_ROOT, workers: [{ configPath: 'wrangler.toml', secrets: { API_KEYS: options.apiKey } }] });
  const url = (await harness.listen()).url.href;
  const pids = workerdPids().filter((p) => !before.has(p));
  if (pids.length === 0) throw new Error('wrangler started no workerd process that this process can see');
  const env = await harness.getWorker<R2Put>().getEnv();
  for (const dir of options.modelDirs) {
    const manifest = await verifyModelFolder(dir);
    for (const path of [...manifest.files.map((f) => f.path), MODEL_FILES.manifest]) {
      await env.MODELS.put(`${manifest.id}/${path}`, await readFile(join(dir, path)));
    }
  }
  return {
    url,
    memory: () => new Map(pids.map((pid) => [pid, processMemory(pid)])),
    cpuMs,
    health: async () => {
      const response = await fetch(`${url}health`);
      if (!response.ok) throw new Error(`GET /health answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as Health;
    },
    stop: () => harness.close(),
  };
}

/**
 * The harness runs two workerd processes; the worker's is the one that grew most while a model loaded.
 */
export function servingProcess(before: ReadonlyMap<number, ProcessMemory>, after: ReadonlyMap<number, ProcessMemory>): number {
  const growth = (pid: number) => after.get(pid)!.rssBytes - (before.get(pid)?.rssBytes ?? 0);
  return [...after.keys()].reduce((best, pid) => (growth(pid) > growth(best) ? pid : best));
}

function workerdPids(): number[] {
  return descendants(process.pid).filter((pid) => readProc(pid, 'comm')?.trim() === 'workerd');
}

function processMemory(pid: number): ProcessMemory {
  const status = readProc(pid, 'status');
  if (!status) throw new Error(`workerd (pid ${pid}) is gone`);
  return { rssBytes: statusKb(status, 'VmRSS') * 1024, peakBytes: statusKb(status, 'VmHWM') * 1024 };
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux). */
function cpuMs(pid: number): number {
  const stat = readProc(pid, 'stat');
  if (!stat) throw new Error(`workerd (pid ${pid}) is gone`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
