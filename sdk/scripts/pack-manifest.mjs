// The package.json that `npm pack` puts in the tarball, for sdk/ and apps/cli.
//
// Inside this repository `exports` and `bin` name the TypeScript sources, so that the other
// workspaces use them with no build step: tsx, vitest, esbuild and Node 22.18+ run them as they are.
// A published package must name the compiled files instead. npm has no way to pack another manifest:
// it ignores `publishConfig.exports` (pnpm and yarn apply it; npm 11 warns about it as an unknown
// setting), and no export condition tells this repository's tools from a user's. So the package
// scripts rewrite package.json around the packing:
//
//   "prepack":     "npm run build && node <this file> apply",
//   "postpack":    "node <this file> restore",
//   "postpublish": "node <this file> restore"
//
// `apply` maps every `./src/NAME.ts` of `exports` to `{ types: ./dist/NAME.d.ts, default: ./dist/NAME.js }`
// and of `bin` to `./dist/NAME.js` (tsc compiles src/ into dist/ with the same names), after keeping
// the repository's manifest in package.repo.json; `restore` puts that back. `npm publish` re-reads
// package.json after packing and sends it to the registry as the version's metadata, so under
// `npm publish` the restore waits for `postpublish`.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';

const MANIFEST = 'package.json';
const KEPT = 'package.repo.json';
const SOURCE = /^\.\/src\/(.+)\.ts$/;

/** The published form of a repository manifest; throws on an entry that is not a `./src/*.ts` path. */
function packedManifest(manifest) {
  const packed = { ...manifest };
  if (manifest.exports !== undefined) {
    packed.exports = mapEntries(manifest.exports, 'exports', (name) => ({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` }));
  }
  if (manifest.bin !== undefined) packed.bin = mapEntries(manifest.bin, 'bin', (name) => `./dist/${name}.js`);
  return packed;
}

function mapEntries(entries, field, compiled) {
  return Object.fromEntries(
    Object.entries(entries).map(([key, path]) => {
      const name = typeof path === 'string' ? SOURCE.exec(path)?.[1] : undefined;
      if (name === undefined) throw new Error(`${field}["${key}"] should name a ./src/*.ts file to map to dist/, not ${JSON.stringify(path)}.`);
      return [key, compiled(name)];
    }),
  );
}

/** The files a packed manifest points at. */
function targets(packed) {
  const exported = Object.values(packed.exports ?? {}).flatMap((conditions) => Object.values(conditions));
  return [...exported, ...Object.values(packed.bin ?? {})];
}

async function apply() {
  // A pack that died half-way left the kept copy: it, not package.json, is the repository's manifest.
  const text = existsSync(KEPT) ? await readFile(KEPT, 'utf8') : await readFile(MANIFEST, 'utf8');
  const packed = packedManifest(JSON.parse(text));
  const missing = targets(packed).filter((path) => !existsSync(path));
  if (missing.length > 0) throw new Error(`Missing ${missing.join(', ')}: run \`npm run build\` in this package first.`);
  await writeFile(KEPT, text);
  await writeFile(MANIFEST, `${JSON.stringify(packed, null, 2)}\n`);
}

async function restore() {
  if (process.env.npm_command === 'publish' && process.env.npm_lifecycle_event === 'postpack') return;
  if (existsSync(KEPT)) await rename(KEPT, MANIFEST);
}

const commands = { apply, restore };
const command = commands[process.argv[2]];
if (!command) throw new Error('usage: node pack-manifest.mjs apply|restore');
await command();
