// Builds the page into a folder of static files for Workers static assets: index.html, main.js (the
// page and the SDK bundled by esbuild; nothing is fetched from elsewhere at run time), styles.css,
// and _headers (response headers that a <meta> cannot set).
// `npm run build -w @attend/web` writes apps/web/dist; `tsx scripts/build.ts <dir>` writes elsewhere.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const DEFAULT_OUT_DIR = join(WEB_ROOT, 'dist');

/** Writes the page into `outDir`, replacing what was there. */
export async function buildPage(outDir: string = DEFAULT_OUT_DIR): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(WEB_ROOT, 'src/main.ts'), join(WEB_ROOT, 'src/styles.css')],
    outdir: outDir,
    entryNames: '[name]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // The SDK uses private fields and AsyncIterator helpers; every browser of the last three years has them.
    target: ['es2022', 'chrome100', 'firefox100', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', '_headers']) await copyFile(join(WEB_ROOT, 'src', file), join(outDir, file));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? DEFAULT_OUT_DIR);
  buildPage(outDir).then(
    () => console.log(`built the page into ${outDir}`),
    (error: Error) => {
      console.error(`build failed: ${error.message}`);
      process.exit(1);
    },
  );
}
