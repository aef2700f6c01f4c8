import { describe, expect, it } from 'vitest';
import { type BundleSize, bundleReport, packageName, sizeProblem } from './bundle-size.ts';

const MIB = 1024 * 1024;
const bundle = (bytes: number, gzipBytes: number): BundleSize => ({ files: [{ name: 'index.js', bytes, gzipBytes }], bytes, gzipBytes, packages: [] });

describe('bundle size', () => {
  it('names the package of each bundled file', () => {
    expect(packageName('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(packageName('node_modules/@asteasolutions/zod-to-openapi/dist/index.mjs')).toBe('@asteasolutions/zod-to-openapi');
    expect(packageName('node_modules/a/node_modules/b/index.js')).toBe('b');
    expect(packageName('apps/worker/src/index.ts')).toBe('apps/worker');
  });

  it('judges the gzip size against Free and Paid, and the raw size against 64 MiB', () => {
    expect(bundleReport(bundle(15 * MIB, 3.8 * MIB)).slice(-2)).toEqual([
      'Workers Free (3 MiB gzip): over by 819.2 KiB: cannot deploy on this plan',
      'Workers Paid (10 MiB gzip): fits, 6.20 MiB to spare',
    ]);
    expect(sizeProblem(bundle(15 * MIB, 3.8 * MIB))).toBeUndefined();
    expect(sizeProblem(bundle(15 * MIB, 10 * MIB + 1))).toMatch(/over the Paid plan's 10 MiB/);
    expect(sizeProblem(bundle(65 * MIB, 9 * MIB))).toMatch(/65 MiB before gzip, over Cloudflare's 64 MiB/);
  });
});
