// Per-op overhead check against PyTorch, single-threaded (compare with bench-matmul.py):
//   npx tsx packages/torch/scripts/bench-matmul.ts && /usr/bin/python3 packages/torch/scripts/bench-matmul.py
// 1) [64, 32, 256] @ [256, 1024] forward + backward (the Transformer's FFN shape), median of 30
// 2) 20,000 adds of two 1-element tensors: the fixed cost of one op call
import { torch } from '../src/index.ts';

torch.setNumThreads(1);
torch.manualSeed(0);
const x = torch.randn([64, 32, 256], { requiresGrad: true });
const w = torch.randn([256, 1024], { requiresGrad: true });

function matmulStep(): void {
  torch.tidy(() => x.matmul(w).sum().backward());
}

// CPU time, not wall time: on a shared machine a single-threaded run's CPU time is its cost; cpu/wall
// near 1 on an idle machine also shows that it used one core.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;

for (let i = 0; i < 3; i++) matmulStep();
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < 30; i++) {
  const [wallStart, cpuStart] = [performance.now(), cpuMs()];
  matmulStep();
  wall.push(performance.now() - wallStart);
  cpu.push(cpuMs() - cpuStart);
}

const a = torch.ones([1]);
const b = torch.ones([1]);
const adds = 20_000;
const addStart = cpuMs();
torch.tidy(() => {
  for (let i = 0; i < adds; i++) a.add(b).dispose();
});
const addMicros = ((cpuMs() - addStart) * 1000) / adds;

console.log(
  `addon: matmul fwd+bwd median cpu ${median(cpu).toFixed(2)} ms, wall ${median(wall).toFixed(2)} ms ` +
    `(threads ${torch.getNumThreads()}); tiny add ${addMicros.toFixed(2)} us cpu/op`,
);
