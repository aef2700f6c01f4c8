import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';

const WRANGLER_CONFIG = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** wrangler.toml's [[ratelimits]], so the rate-limit tests count to the configured limits. */
    ratelimits: { name: string; simple: { limit: number; period: number } }[];
  }
}

// The worker's tests run inside workerd (the Workers runtime) with the bindings of the root
// wrangler.toml, including a real local R2 bucket (MODELS) that Miniflare stores in memory and the real
// rate limiters, which count (one shared state for the whole run: tests use keys and IPs of their own).
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: WRANGLER_CONFIG },
    }),
  ],
  test: {
    name: 'worker',
    include: ['src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    provide: { ratelimits: unstable_readConfig({ config: WRANGLER_CONFIG }).ratelimits },
    // One workerd runtime for all files, one file at a time: onnxruntime's 14 MB wasm is compiled
    // once, and files that seed the shared local bucket never overlap.
    isolate: false,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
