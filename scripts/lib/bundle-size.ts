// The Worker's size as Cloudflare counts it against the plan: the modules `wrangler deploy` uploads (the
// script and onnxruntime-web's wasm), gzipped together as wrangler's own "Total Upload" line does. Source
// maps and the page's static assets are uploaded apart and do not count.
// https://developers.cloudflare.com/workers/platform/limits/#worker-size
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const MIB = 1024 * 1024;

export interface PlanLimit {
  readonly plan: 'Free' | 'Paid';
  readonly gzipBytes: number;
}

export const PLAN_LIMITS: readonly PlanLimit[] = [
  { plan: 'Free', gzipBytes: 3 * MIB },
  { plan: 'Paid', gzipBytes: 10 * MIB },
];

/** Before compression, on every plan (wrangler's MAX_UNCOMPRESSED_SIZE_BYTES). */
export const MAX_UNCOMPRESSED_BYTES = 64 * MIB;

export interface SizedFile {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface BundleSize {
  readonly files: readonly SizedFile[]; // largest first
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly packages: readonly { readonly name: string; readonly bytes: number }[]; // inside the script, largest first
}

/** Measures `wrangler deploy --dry-run --outdir <outdir> [--metafile <metafile>]`. */
export function measureBundle(outdir: string, metafile?: string): BundleSize {
  // The entry script last, as wrangler concatenates [...modules, main] before gzipping.
  const names = readdirSync(outdir)
    .filter((name) => !name.endsWith('.map') && name !== 'README.md')
    .sort((a, b) => Number(a === 'index.js') - Number(b === 'index.js'));
  if (!names.includes('index.js')) throw new Error(`${outdir} holds no index.js: did \`wrangler deploy --dry-run --outdir\` run?`);
  const contents = names.map((name) => readFileSync(join(outdir, name)));
  const files = names.map((name, i) => ({ name, bytes: contents[i]!.length, gzipBytes: gzipSync(contents[i]!).length }));
  return {
    files: files.sort((a, b) => b.bytes - a.bytes),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: gzipSync(Buffer.concat(contents)).length,
    packages: metafile && existsSync(metafile) ? packagesOf(metafile) : [],
  };
}

/** Bytes each package adds to index.js, from esbuild's metafile (`wrangler deploy --metafile`). */
function packagesOf(metafile: string): { name: string; bytes: number }[] {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const main = Object.entries(meta.outputs).find(([path]) => path.endsWith('index.js'))?.[1];
  const totals = new Map<string, number>();
  for (const [path, input] of Object.entries(main?.inputs ?? {})) {
    const name = packageName(path);
    totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** `node_modules/@scope/name/...` -> `@scope/name`; a workspace file `apps/worker/src/...` -> `apps/worker`. */
export function packageName(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return path.split('/').slice(0, 2).join('/');
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The measurement against each plan, as lines to print. */
export function bundleReport(size: BundleSize): string[] {
  const width = Math.max(...size.files.map((f) => displayName(f.name).length), 'total'.length);
  const row = (name: string, bytes: number, gzipBytes: number) => `  ${name.padEnd(width)}  ${formatBytes(bytes).padStart(10)}  ${formatBytes(gzipBytes).padStart(10)} gzip`;
  const lines = [
    'uploaded modules (source maps and the static page do not count):',
    ...size.files.map((f) => row(displayName(f.name), f.bytes, f.gzipBytes)),
    `${row('total', size.bytes, size.gzipBytes)}   (at most ${formatBytes(MAX_UNCOMPRESSED_BYTES)} before gzip)`,
  ];
  if (size.packages.length > 0) {
    lines.push(`largest in index.js: ${size.packages.slice(0, 5).map((p) => `${p.name} ${formatBytes(p.bytes)}`).join(', ')}`);
  }
  for (const limit of PLAN_LIMITS) {
    const left = limit.gzipBytes - size.gzipBytes;
    const verdict = left >= 0 ? `fits, ${formatBytes(left)} to spare` : `over by ${formatBytes(-left)}: cannot deploy on this plan`;
    lines.push(`Workers ${limit.plan} (${formatBytes(limit.gzipBytes)} gzip): ${verdict}`);
  }
  return lines;
}

/** Why the bundle cannot deploy even on the Paid plan; undefined when it can. */
export function sizeProblem(size: BundleSize): string | undefined {
  const paid = PLAN_LIMITS.find((l) => l.plan === 'Paid')!;
  if (size.gzipBytes > paid.gzipBytes) {
    return `the Worker is ${formatBytes(size.gzipBytes)} gzipped, over the Paid plan's ${formatBytes(paid.gzipBytes)}: ` +
      'keep model bytes in R2 and look at the largest modules above for what to drop';
  }
  if (size.bytes > MAX_UNCOMPRESSED_BYTES) {
    return `the Worker is ${formatBytes(size.bytes)} before gzip, over Cloudflare's ${formatBytes(MAX_UNCOMPRESSED_BYTES)}: look at the largest modules above`;
  }
  return undefined;
}

// wrangler names a bundled module after its content hash: `<40 hex>-ort-wasm-simd-threaded.wasm`.
function displayName(name: string): string {
  return name.replace(/^[0-9a-f]{40}-/, '');
}

export function formatBytes(bytes: number): string {
  return (bytes >= MIB ? `${(bytes / MIB).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`).replace(/\.0+ /, ' ');
}
