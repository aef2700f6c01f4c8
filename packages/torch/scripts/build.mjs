// Builds the addon with node-gyp when libtorch is present.
//   node scripts/build.mjs             build; exit 1 with install instructions when libtorch is absent
//   node scripts/build.mjs --if-needed skip the build when the addon is newer than its sources and was
//                                      built against the same libtorch (a rebuild takes a minute); exit 1
//                                      with install instructions when libtorch is absent (`npm test` and
//                                      `npm run setup:system` run this)
//   node scripts/build.mjs --optional  the `npm install` hook: as --if-needed, but print the instructions
//                                      and exit 0 instead, since the worker and the SDK never need libtorch
//   node scripts/build.mjs --print include|lib|abi   paths for binding.gyp
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLibtorch, missingLibtorchMessage } from '../src/libtorch.mjs';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const libtorch = findLibtorch();

if (args[0] === '--print') {
  if (!libtorch.found) fail(missingLibtorchMessage(libtorch.reason), 1);
  const values = { include: libtorch.includeDirs.join(' '), lib: libtorch.libDir, abi: String(libtorch.cxx11Abi) };
  process.stdout.write(values[args[1]] ?? fail(`unknown --print ${args[1]}`, 1));
  process.exit(0);
}

const optional = args.includes('--optional');
const ifNeeded = optional || args.includes('--if-needed');
if (!libtorch.found) fail(missingLibtorchMessage(libtorch.reason), optional ? 0 : 1);

const stampPath = join(packageDir, 'build/libtorch.json');
const stamp = JSON.stringify({ includeDirs: libtorch.includeDirs, libDir: libtorch.libDir, cxx11Abi: libtorch.cxx11Abi });
if (ifNeeded && upToDate()) {
  console.log('@attend/torch: the native addon is up to date (`npm run build -w @attend/torch` rebuilds it).');
  process.exit(0);
}

const gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const gypArgs = [gyp, 'rebuild', '--jobs=max', ...nodedirArgs()];
const result = spawnSync(process.execPath, gypArgs, { cwd: packageDir, stdio: 'inherit' });
if (result.status !== 0) {
  fail('@attend/torch: the native build failed (see above); rerun with `npm run build -w @attend/torch`.', optional ? 0 : 1);
}
writeFileSync(stampPath, stamp);

// Built against the same libtorch, after the last change to binding.gyp or native/.
function upToDate() {
  const addon = join(packageDir, 'build/Release/attend_torch.node');
  if (!existsSync(addon) || !existsSync(stampPath) || readFileSync(stampPath, 'utf8') !== stamp) return false;
  const sources = ['binding.gyp', ...readdirSync(join(packageDir, 'native')).map((file) => join('native', file))];
  const built = statSync(addon).mtimeMs;
  return sources.every((source) => statSync(join(packageDir, source)).mtimeMs < built);
}

// N-API is ABI-stable, so any installed Node's headers do; npm passes its `nodedir` config through the
// environment, and outside npm the running Node's own headers avoid a download.
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const root = join(dirname(process.execPath), '..');
  return existsSync(join(root, 'include/node/node_api.h')) ? [`--nodedir=${root}`] : [];
}

function fail(message, code) {
  console.error(message);
  process.exit(code);
}
