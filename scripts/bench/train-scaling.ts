// `npm run bench:train -- --nproc N`: target tokens/s of N processes x 1 thread (data parallel, gradients
// summed through Gloo) against 1 process x N threads and 1 x 1, in one run. Reference config, 64 x 32
// target tokens per process and update, the trainer's own update (train-scaling-rank.ts).
// 1) start the three setups, each waiting for commands  2) warm them up  3) alternate rounds, one setup
// after the other, so that all see the same machine load  4) print rates, speed-ups, scaling efficiency.
//   npm run bench:train -- --nproc 2 [--steps 20] [--warmup 3] [--rounds 10]
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../lib/free-port.ts';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { rankEnvVars } from '../train/rank-env.ts';

interface Measured {
  seconds: number;
  tokens: number;
  loss: number;
}

interface Setup {
  readonly name: string;
  readonly procs: number;
  readonly threads: number;
}

const RANK_SCRIPT = fileURLToPath(new URL('./train-scaling-rank.ts', import.meta.url));

/** The processes of one setup; run(n) makes every one take n updates and answers rank 0's figures, timed by the slowest. */
async function startSetup(setup: Setup) {
  const port = await freePort();
  const children = Array.from({ length: setup.procs }, (_, rank) => {
    const vars = setup.procs > 1 ? rankEnvVars({ rank, worldSize: setup.procs, localRank: rank, masterAddr: '127.0.0.1', masterPort: port, connectTimeoutSeconds: 60 }) : {};
    return spawn(process.execPath, [...process.execArgv, RANK_SCRIPT, '--threads', String(setup.threads)], { env: { ...process.env, ...vars }, stdio: ['pipe', 'pipe', 'inherit'] });
  });
  const answers = children.map((child) => lines(child));
  const next = async () => Promise.all(answers.map(async (answer) => JSON.parse(await answer()) as Measured));
  await next(); // ready
  const send = (command: object) => children.forEach((child) => child.stdin!.write(`${JSON.stringify(command)}\n`));
  return {
    run: async (n: number): Promise<Measured> => {
      send({ run: n });
      const measured = await next();
      return { ...measured[0]!, seconds: Math.max(...measured.map((m) => m.seconds)) };
    },
    quit: () => {
      send({ quit: true });
      children.forEach((child) => child.stdin!.end());
    },
  };
}

function lines(child: ChildProcess): () => Promise<string> {
  const iterator = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return async () => {
    const line = await iterator.next();
    if (line.done) throw new Error(`${RANK_SCRIPT} (pid ${child.pid}) exited early`);
    return line.value;
  };
}


export async function benchScaling(options: { nproc: number; steps: number; warmup: number; rounds: number }): Promise<void> {
  const { nproc } = options;
  const setups: Setup[] = [
    { name: '1 process x 1 thread', procs: 1, threads: 1 },
    { name: `1 process x ${nproc} threads`, procs: 1, threads: nproc },
    { name: `${nproc} processes x 1 thread`, procs: nproc, threads: 1 },
  ];
  const running = await Promise.all(setups.map(startSetup));
  console.log(`warmup: ${options.warmup} updates each`);
  for (const setup of running) await setup.run(options.warmup);
  const perRound = Math.ceil(options.steps / options.rounds);
  const totals = setups.map(() => ({ seconds: 0, tokens: 0 }));
  for (let r = 0; r < options.rounds; r++) {
    const rates: string[] = [];
    for (const [i, setup] of running.entries()) {
      const m = await setup.run(perRound);
      totals[i]!.seconds += m.seconds;
      totals[i]!.tokens += m.tokens;
      rates.push(`${setups[i]!.name} ${(m.tokens / m.seconds).toFixed(0)} tok/s (loss ${m.loss.toFixed(3)})`);
    }
    console.log(`round ${r + 1}: ${rates.join(', ')}`);
  }
  running.forEach((setup) => setup.quit());
  const [one, threaded, ranks] = totals.map((t) => t.tokens / t.seconds) as [number, number, number];
  console.log(`\n${perRound * options.rounds} updates each, 64 x 32 target tokens per process and update`);
  console.log(`${setups[0]!.name}: ${one.toFixed(0)} target tokens/s`);
  console.log(`${setups[1]!.name}: ${threaded.toFixed(0)} target tokens/s (${(threaded / one).toFixed(2)}x)`);
  console.log(`${setups[2]!.name}: ${ranks.toFixed(0)} target tokens/s (${(ranks / one).toFixed(2)}x one process, ${(ranks / threaded).toFixed(2)}x ${nproc} threads)`);
  console.log(`scaling efficiency of ${nproc} processes: ${((100 * ranks) / (nproc * one)).toFixed(0)}% (goal for 2: 1.7x, 85%)`);
}
