import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// The worker's tests run inside workerd (the Workers runtime) with the bindings of the root
// wrangler.toml, including a real local R2 bucket (MODELS) that Miniflare stores in memory.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../../wrangler.toml' },
    }),
  ],
  test: {
    name: 'worker',
    include: ['src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One workerd runtime for all files, one file at a time: onnxruntime's 14 MB wasm is compiled
    // once, and files that seed the shared local bucket never overlap.
    isolate: false,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
