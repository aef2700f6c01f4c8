// Real processes over real Gloo: this process is rank 0, distributed-peer.ts runs rank 1.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { torch } from './index.ts';

/** A port nobody listens on (the OS picks it, then it is closed again). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** Starts rank 1; resolves with its stdout when it exits. */
function startPeer(port: number, scenario: 'collectives' | 'die' | 'idle'): Promise<string> {
  const peer = spawn(process.execPath, ['--import', 'tsx', new URL('./distributed-peer.ts', import.meta.url).pathname, String(port), scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  peer.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((exited) => peer.on('exit', () => exited(stdout)));
}

describe('torch.distributed.ProcessGroup (c10d TCPStore + ProcessGroupGloo)', () => {
  it('sums a list of tensors of any shapes, broadcasts from rank 0, and shares store keys', async () => {
    const port = await freePort();
    const peer = startPeer(port, 'collectives');
    const group = new torch.distributed.ProcessGroup({ masterAddr: '127.0.0.1', masterPort: port, rank: 0, worldSize: 2, connectTimeoutMs: 30_000, timeoutMs: 30_000 });
    expect([group.rank, group.worldSize]).toEqual([0, 2]);
    const a = torch.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = torch.tensor([0.25], [1]);
    group.allReduceSum([a, b]);
    group.broadcast([torch.tensor([7, 8, 9], [3])]);
    group.store.set('from-0', 'hello');
    const fromOne = group.store.get('from-1');
    group.barrier();
    group.close();
    expect(a.toArray()).toEqual([11, 22, 33, 44, 55, 66]);
    expect(b.toArray()).toEqual([0.75]);
    expect(fromOne).toBe('hola');
    expect(JSON.parse(await peer)).toEqual({ a: [11, 22, 33, 44, 55, 66], b: [0.75], weights: [7, 8, 9], fromZero: 'hello' });
    expect(() => group.barrier()).toThrow('barrier: the process group was closed');
  });

  it('throws instead of hanging when a rank dies', async () => {
    const port = await freePort();
    const peer = startPeer(port, 'die');
    const group = new torch.distributed.ProcessGroup({ masterAddr: '127.0.0.1', masterPort: port, rank: 0, worldSize: 2, connectTimeoutMs: 30_000, timeoutMs: 20_000 });
    await peer;
    const started = performance.now();
    expect(() => group.allReduceSum([torch.ones([4])])).toThrow(/^allReduceSum on rank 0 of 2 failed: a rank has stopped or cannot be reached \(.*Connection closed by peer/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('times a collective out after timeoutMs when a rank never takes part', async () => {
    const port = await freePort();
    const peer = startPeer(port, 'idle');
    const group = new torch.distributed.ProcessGroup({ masterAddr: '127.0.0.1', masterPort: port, rank: 0, worldSize: 2, connectTimeoutMs: 30_000, timeoutMs: 1000 });
    const started = performance.now();
    expect(() => group.barrier()).toThrow(/^barrier on rank 0 of 2 failed: a rank has stopped or cannot be reached \(.*[Tt]imed out/);
    expect(performance.now() - started).toBeLessThan(2500);
    group.close();
    await peer;
  });

  it('names the ranks that never joined, after the connect timeout', () => {
    const join = () => new torch.distributed.ProcessGroup({ masterAddr: '127.0.0.1', masterPort: 0, rank: 0, worldSize: 3, connectTimeoutMs: 1000 });
    expect(join).toThrow('rank 0 waited 1 s for all 3 ranks; missing: rank 1, 2.');
  });

  it('says which store it could not reach, within the connect timeout', async () => {
    const port = await freePort();
    const started = performance.now();
    const join = () => new torch.distributed.ProcessGroup({ masterAddr: '127.0.0.1', masterPort: port, rank: 1, worldSize: 2, connectTimeoutMs: 1000 });
    expect(join).toThrow(`rank 1 cannot reach the rendezvous store at 127.0.0.1:${port} within 1 s`);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
