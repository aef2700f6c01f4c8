// The published artifact: `tsc -p sdk/tsconfig.json` must compile without Node's types (so the SDK
// uses no Node API) and emit JS and .d.ts that import nothing but each other (zero runtime
// dependencies; declarations that resolve without @attend/protocol or zod).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const SDK = fileURLToPath(new URL('..', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'attend-sdk-build-'));
  await promisify(execFile)(process.execPath, [TSC, '-p', join(SDK, 'tsconfig.json'), '--outDir', outDir]);
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

it('emits JS and declarations for every module, tests and test doubles left out', async () => {
  const files = (await readdir(outDir)).sort();
  expect(files).toContain('index.js');
  expect(files).toContain('index.d.ts');
  expect(files.filter((f) => f.includes('test'))).toEqual([]);
});

it('imports nothing outside its own files', async () => {
  const files = new Set(await readdir(outDir));
  for (const file of files) {
    const text = await readFile(join(outDir, file), 'utf8');
    for (const [, specifier = ''] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      // tsc rewrites `.ts` specifiers in JS but not in declarations; TypeScript 5+ resolves
      // `./x.ts` in a .d.ts to `./x.d.ts`.
      const target = file.endsWith('.d.ts') ? specifier.replace(/\.ts$/, '.d.ts') : specifier;
      expect(specifier.startsWith('./') && files.has(target.slice(2)), `${file} imports ${specifier}`).toBe(true);
    }
  }
});
