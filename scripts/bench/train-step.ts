// Training throughput of packages/model against the same Transformer in PyTorch, in one run.
// Reference config (vocab 8000, d 256, 4 heads, d_ff 1024, 3+3 layers, post-norm), a batch of 64 pairs
// x 32 tokens, Adam, dropout 0.1, label smoothing 0.1, clip 1.0, one thread on each side.
// 1) build our model and spawn train_step_torch.py  2) warm both up  3) alternate rounds of steps,
// ours then theirs, so that both see the same machine load  4) print target tokens/s, ratio, peak RSS.
// One step per round by default: under a shared machine's load, neighbouring steps see the same load.
//   npx tsx scripts/bench/train-step.ts [--steps 20] [--warmup 3] [--rounds 20] [--python /usr/bin/python3]
// With --nproc N it measures data-parallel scaling instead (train-scaling.ts): N processes x 1 thread
// against 1 x N threads and 1 x 1.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { torch, type Tensor } from '@attend/torch';
import { TINY, resolveConfig } from '@attend/model-spec';
import { Transformer, trainStep, type Batch } from '@attend/model';
import { benchScaling } from './train-scaling.ts';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '20' },
    python: { type: 'string', default: '/usr/bin/python3' },
    nproc: { type: 'string' },
  },
});
const steps = Number(args.steps);
const warmup = Number(args.warmup);
const rounds = Number(args.rounds);
const BATCH = 64;
const LENGTH = 32;

interface Measured {
  seconds: number;
  tokens: number;
  loss: number;
}

/** Uniform random ids in [3, vocab): no padding, so every one of the 64 x 32 targets counts. */
function randomIds(rows: number, cols: number, vocab: number, first?: number): Tensor {
  const data = BigInt64Array.from({ length: rows * cols }, (_, i) =>
    BigInt(first !== undefined && i % cols === 0 ? first : 3 + Math.floor(Math.random() * (vocab - 3))),
  );
  return torch.tensor(data, [rows, cols], 'int64');
}

/** Drives train_step_torch.py: one JSON command per line in, one JSON answer per line out. */
function startPyTorch() {
  const script = fileURLToPath(new URL('./train_step_torch.py', import.meta.url));
  const child = spawn(args.python, [script], {
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) throw new Error(`${args.python} ${script} exited early (is python3-torch installed?)`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const send = async (command: object) => {
    child.stdin.write(`${JSON.stringify(command)}\n`);
    return next();
  };
  return {
    ready: next,
    run: async (n: number) => (await send({ run: n })) as unknown as Measured,
    quit: async () => {
      const { max_rss_kb } = (await send({ quit: true })) as { max_rss_kb: number };
      child.stdin.end();
      return max_rss_kb;
    },
  };
}

async function main(): Promise<void> {
  torch.setNumThreads(1);
  torch.manualSeed(0);
  const config = resolveConfig({ ...TINY, dropout: 0.1 });
  const model = new Transformer(config, { seed: 0 });
  const adam = new torch.optim.Adam(model.trainableParameters(), { lr: 5e-4, betas: [0.9, 0.98], eps: 1e-9 });
  const tgtOutIds = randomIds(BATCH, LENGTH, config.vocabSize);
  const batch: Batch = {
    srcIds: randomIds(BATCH, LENGTH, config.vocabSize),
    tgtInIds: torch.cat([torch.full([BATCH, 1], config.decoderStartId, { dtype: 'int64' }), tgtOutIds.narrow(1, 0, LENGTH - 1)], 1),
    tgtOutIds,
  };
  const ours = (n: number): Measured => {
    const start = performance.now();
    let tokens = 0;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const result = trainStep(model, adam, batch, { smoothing: 0.1, clipNorm: 1 });
      tokens += result.targetTokens;
      loss = result.loss;
    }
    return { seconds: (performance.now() - start) / 1000, tokens, loss };
  };

  const theirs = startPyTorch();
  const info = await theirs.ready();
  console.log(`PyTorch ${info.torch}, ${info.threads} thread(s); @attend/torch ${torch.getNumThreads()} thread(s)`);
  console.log(`warmup: ${warmup} steps each`);
  ours(warmup);
  await theirs.run(warmup);
  const total = { ours: { seconds: 0, tokens: 0 }, theirs: { seconds: 0, tokens: 0 } };
  const perRound = Math.ceil(steps / rounds);
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = ours(perRound);
    const b = await theirs.run(perRound);
    for (const [side, m] of [['ours', a], ['theirs', b]] as const) {
      total[side].seconds += m.seconds;
      total[side].tokens += m.tokens;
    }
    const rate = (m: Measured) => m.tokens / m.seconds;
    ratios.push(rate(a) / rate(b));
    console.log(
      `round ${r + 1}: ours ${rate(a).toFixed(0)} tok/s (loss ${a.loss.toFixed(3)}), PyTorch ${rate(b).toFixed(0)} tok/s (loss ${b.loss.toFixed(3)})`,
    );
  }
  const pythonRssKb = await theirs.quit();
  const oursRate = total.ours.tokens / total.ours.seconds;
  const theirsRate = total.theirs.tokens / total.theirs.seconds;
  console.log(`\n${perRound * rounds} steps each, ${BATCH} x ${LENGTH} target tokens per step`);
  console.log(`@attend/model: ${oursRate.toFixed(0)} target tokens/s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  console.log(`PyTorch:       ${theirsRate.toFixed(0)} target tokens/s, peak RSS ${(pythonRssKb / 1024).toFixed(0)} MiB`);
  const median = ratios.sort((x, y) => x - y)[Math.floor(ratios.length / 2)] ?? NaN;
  console.log(`ratio (ours / PyTorch): ${(oursRate / theirsRate).toFixed(3)} overall, ${median.toFixed(3)} median of the rounds`);
  for (const t of Object.values(batch)) t.dispose();
  model.dispose();
}

if (args.nproc === undefined) await main();
else await benchScaling({ nproc: Number(args.nproc), steps, warmup, rounds });
