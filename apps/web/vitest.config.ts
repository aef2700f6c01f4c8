import { defineConfig } from 'vitest/config';

// The page's logic in Node, where the SDK runs as it does in the browser; the page itself, in a real
// Chromium against the real worker, is test/web-page.test.ts.
export default defineConfig({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts'],
  },
});
