// Locates libtorch for the build (scripts/build.mjs, binding.gyp) and words the error when it is absent.
// Plain JavaScript so that it runs under any Node during `npm install`, before TypeScript tooling exists.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MULTIARCH = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/**
 * $LIBTORCH (a folder with include/ and lib/, as the Rust `tch` crate takes it) wins; otherwise Debian's
 * libtorch-dev. $LIBTORCH_CXX11_ABI=0 selects the pre-C++11 string ABI of some pytorch.org downloads.
 */
export function findLibtorch(env = process.env, exists = existsSync, arch = process.arch) {
  const cxx11Abi = env.LIBTORCH_CXX11_ABI === '0' ? 0 : 1;
  if (env.LIBTORCH) {
    const root = env.LIBTORCH;
    const found = locateIn([join(root, 'include'), join(root, 'include/torch/csrc/api/include')], join(root, 'lib'), exists);
    return found ? { found: true, ...found, cxx11Abi } : { found: false, reason: `LIBTORCH=${root} lacks include/ATen/ATen.h, include/gloo/algorithm.h or lib/libtorch.so` };
  }
  const multiarch = MULTIARCH[arch];
  const found = multiarch && locateIn(['/usr/include', '/usr/include/torch/csrc/api/include'], `/usr/lib/${multiarch}`, exists);
  return found ? { found: true, ...found, cxx11Abi } : { found: false, reason: 'libtorch was not found (no $LIBTORCH, no Debian libtorch-dev and libgloo-dev)' };
}

// Gloo's headers are needed too: native/distributed.cc includes c10d's ProcessGroupGloo.hpp, which includes
// them. Debian ships them apart from libtorch-dev, in libgloo-dev; a $LIBTORCH folder must hold include/gloo.
function locateIn(includeDirs, libDir, exists) {
  const headers = ['ATen/ATen.h', 'gloo/algorithm.h'].every((h) => exists(join(includeDirs[0], h))) && exists(join(includeDirs[1], 'torch/optim.h'));
  const libs = ['libtorch.so', 'libtorch_cpu.so', 'libc10.so'].every((lib) => exists(join(libDir, lib)));
  return headers && libs ? { includeDirs, libDir } : null;
}

export function missingLibtorchMessage(reason) {
  return [
    `@attend/torch needs libtorch: ${reason}.`,
    'Install it with `npm run setup:system` (on Debian: `apt-get install libtorch-dev libgloo-dev` and the other system',
    'packages the tests need, then the addon build), or set LIBTORCH to a libtorch folder (with include/ and',
    'lib/, e.g. unzipped from pytorch.org) and run `npm run build -w @attend/torch`.',
  ].join('\n');
}

export function notBuiltMessage(cause) {
  return [
    `@attend/torch: the native addon is not built (${cause}).`,
    'Run `npm run build -w @attend/torch` (needs libtorch: `apt-get install libtorch-dev libgloo-dev`, or set LIBTORCH',
    'to a libtorch folder with include/ and lib/).',
  ].join('\n');
}
