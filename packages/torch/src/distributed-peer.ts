// Rank 1 of distributed.test.ts, in its own process: `node --import tsx distributed-peer.ts PORT SCENARIO`.
// Prints what it ends with as one JSON line.
import { torch } from './index.ts';

const [port, scenario] = process.argv.slice(2);
const group = new torch.distributed.ProcessGroup({ masterAddr: '127.0.0.1', masterPort: Number(port), rank: 1, worldSize: 2, timeoutMs: 10_000 });
if (scenario === 'die') process.kill(process.pid, 'SIGKILL');
if (scenario === 'idle') {
  await new Promise((r) => setTimeout(r, 2000)); // joined, yet in no collective
  process.exit(0);
}
const a = torch.tensor([10, 20, 30, 40, 50, 60], [2, 3]);
const b = torch.tensor([0.5], [1]);
group.allReduceSum([a, b]);
const weights = torch.zeros([3]);
group.broadcast([weights]);
group.store.set('from-1', 'hola');
const fromZero = group.store.get('from-0');
group.barrier();
group.close();
process.stdout.write(`${JSON.stringify({ a: a.toArray(), b: b.toArray(), weights: weights.toArray(), fromZero })}\n`);
