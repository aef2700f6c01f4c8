// int8 on an x86 CPU without AVX-512 or VNNI, whatever CPU runs the tests: onnxruntime-node's kernels
// pick their instructions from CPUID, and qemu's user-mode emulator reports a Haswell (AVX2, FMA) CPU,
// so the same measurement as quantize.test.ts runs through the AVX2 kernels, where u8 x s8 products
// saturate at 16 bits. qemu-user comes with `npm run setup:system`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOUNDS } from './testing/int8-agreement.ts';

const QEMU = 'qemu-x86_64';
const script = fileURLToPath(new URL('./testing/int8-agreement.ts', import.meta.url));

describe.skipIf(process.arch !== 'x64')('int8 on an emulated AVX2-only CPU (qemu -cpu Haswell)', () => {
  it('stays within the bounds it holds natively', () => {
    const found = spawnSync(QEMU, ['-version'], { encoding: 'utf8' });
    if (found.error) throw new Error(`${QEMU} is missing: run \`npm run setup:system\` (Debian package qemu-user)`);
    const run = spawnSync(QEMU, ['-cpu', 'Haswell', process.execPath, '--import', 'tsx', script], { encoding: 'utf8', timeout: 240_000 });
    expect(run.status, run.stderr.split('\n').filter((line) => !line.includes('TCG doesn')).join('\n')).toBe(0);
    const measured = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as { worst: number; argmaxAgreement: number; identical: number };
    expect(measured.worst * 100).toBeLessThan(BOUNDS.worstPercent);
    expect(measured.argmaxAgreement).toBeGreaterThanOrEqual(BOUNDS.argmaxAgreement);
    expect(measured.identical).toBeGreaterThanOrEqual(BOUNDS.identical);
  });
});
