import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { torch } from './index.ts';

// OS threads of this process. Everything below runs synchronously, so the event loop cannot start any.
const osThreads = () => Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);

function work(): void {
  torch.tidy(() => {
    const a = torch.randn([256, 512], { requiresGrad: true });
    const loss = torch.F.dropout(a.matmul(torch.randn([512, 512])).relu(), 0.1, true).sum();
    loss.backward();
  });
}

describe('setNumThreads', () => {
  it('runs kernels (OpenMP and BLAS) on the calling thread alone after setNumThreads(1)', () => {
    torch.setNumThreads(1);
    const before = osThreads();
    work();
    expect(torch.getNumThreads()).toBe(1);
    expect(osThreads()).toBe(before);
    // The check can fail: two threads start a worker.
    torch.setNumThreads(2);
    work();
    expect(torch.getNumThreads()).toBe(2);
    expect(osThreads()).toBeGreaterThan(before);
    torch.setNumThreads(1);
    expect(() => torch.setNumThreads(0)).toThrow(/n >= 1/);
  });
});
