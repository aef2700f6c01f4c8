import { describe, expect, it } from 'vitest';
import { findLibtorch, missingLibtorchMessage, notBuiltMessage } from './libtorch.mjs';

const DEBIAN = [
  '/usr/include/ATen/ATen.h',
  '/usr/include/gloo/algorithm.h',
  '/usr/include/torch/csrc/api/include/torch/optim.h',
  '/usr/lib/x86_64-linux-gnu/libtorch.so',
  '/usr/lib/x86_64-linux-gnu/libtorch_cpu.so',
  '/usr/lib/x86_64-linux-gnu/libc10.so',
];
const existsIn = (files: string[]) => (path: string) => files.includes(path);

describe('findLibtorch', () => {
  it("finds Debian's libtorch-dev", () => {
    expect(findLibtorch({}, existsIn(DEBIAN), 'x64')).toEqual({
      found: true,
      includeDirs: ['/usr/include', '/usr/include/torch/csrc/api/include'],
      libDir: '/usr/lib/x86_64-linux-gnu',
      cxx11Abi: 1,
    });
  });

  it('prefers $LIBTORCH and honours LIBTORCH_CXX11_ABI', () => {
    const files = DEBIAN.map((f) => f.replace('/usr/include', '/opt/lt/include').replace('/usr/lib/x86_64-linux-gnu', '/opt/lt/lib'));
    expect(findLibtorch({ LIBTORCH: '/opt/lt', LIBTORCH_CXX11_ABI: '0' }, existsIn(files), 'x64')).toEqual({
      found: true,
      includeDirs: ['/opt/lt/include', '/opt/lt/include/torch/csrc/api/include'],
      libDir: '/opt/lt/lib',
      cxx11Abi: 0,
    });
    const wrong = findLibtorch({ LIBTORCH: '/opt/empty' }, existsIn(DEBIAN), 'x64');
    expect(wrong).toEqual({ found: false, reason: expect.stringContaining('LIBTORCH=/opt/empty') });
  });

  it('reports absence when a header or library is missing', () => {
    expect(findLibtorch({}, existsIn(DEBIAN.slice(1)), 'x64').found).toBe(false);
    expect(findLibtorch({}, existsIn(DEBIAN.filter((f) => !f.includes('gloo'))), 'x64')).toEqual({ found: false, reason: expect.stringContaining('libgloo-dev') });
    expect(findLibtorch({}, existsIn(DEBIAN.slice(0, -1)), 'x64').found).toBe(false);
    expect(findLibtorch({}, existsIn(DEBIAN), 'riscv64').found).toBe(false);
  });

  it('finds the libtorch installed on this machine', () => {
    expect(findLibtorch().found).toBe(true);
  });
});

describe('messages', () => {
  it('say how to install libtorch and rebuild', () => {
    const missing = missingLibtorchMessage('libtorch was not found');
    expect(missing).toContain('libtorch was not found');
    expect(missing).toContain('npm run setup:system');
    expect(missing).toContain('apt-get install libtorch-dev libgloo-dev');
    expect(missing).toContain('LIBTORCH');
    expect(missing).toContain('npm run build -w @attend/torch');
    expect(notBuiltMessage('cannot find module')).toContain('npm run build -w @attend/torch');
  });
});
