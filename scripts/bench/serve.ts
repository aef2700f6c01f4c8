// Serving speed of the edge worker, as ratios measured in one run (the machine is shared: never
// compare absolute times across runs; speeds take the fastest of the rounds, since sharing only adds
// time). Random int8 weights of the TINY shape whose output bias makes </s> impossible, so every
// request costs a known number of decoder steps (serve-model.ts).
// 1) train a BPE tokenizer (8,000) on the dev corpus; export TINY and a smaller model
// 2) TINY in workerd (wrangler's harness, local R2): cold first request, then rounds alternating the
//    worker (HTTP on loopback, SSE; and as one JSON answer), onnxruntime-node and onnxruntime-web's
//    WASM in Node (same files, @attend/decoding, one thread; the Hugging Face graphs, and the serving
//    graphs as the worker runs them): first token and decode speed
// 3) in Node: greedy decoding with the KV cache vs re-running the whole prefix at each step
// 4) a concurrency sweep: 1, 4, 16, 64 closed-loop clients, each streaming one short sentence after
//    another, against TINY (batched decoding on its serving graphs) and, as the reference, the same
//    weights without serving graphs (one decoder run per row, as every sentence decoded before the
//    scheduler), the two alternating at each level; then the wasm heap with both loaded, and the
//    decoder graph alone at 1 and 16 rows in Node (the most batching can give)
// 5) a load run of concurrent streams; workerd peak memory after load and after the load run
// 6) the same for the smaller model under a fresh worker; then TINY loaded second there (runtime up)
// 6b) the default models (models/) in a fresh worker: 64 streams arriving at once on each, then the
//    wasm heap with both loaded (goal: 64 MB)
// 7) a table, and one JSON line with every figure
//   npx tsx scripts/bench/serve.ts [--rounds 20] [--warmup 5] [--no-cache-rounds 5] [--concurrency 200]
//     [--load-tokens 32] [--load-timeout 120] [--sweep 1,4,16,64] [--sweep-seconds 8] [--sweep-tokens 48]
//     [--corpus ../shared/data/en-es/dev.tsv] [--defaults models/en-es-tiny,models/es-en-tiny]
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '@attend/model-spec';
import { type Tokenizer, trainBpe } from '@attend/tokenizer';
import { REPO_ROOT } from '../lib/wrangler.ts';
import { type StreamTiming, streamTranslate, translateJson } from './serve-client.ts';
import { loadRun } from './serve-load.ts';
import { type BenchModel, exportBenchModel, withoutServingGraphs } from './serve-model.ts';
import { measureStepCeiling } from './serve-ceiling.ts';
import { burstDefaults } from './serve-defaults.ts';
import { loadInNode, loadServingInNode } from './serve-native.ts';
import { figures, type ModelRun, type Samples, type SweepRun, table } from './serve-report.ts';
import { median } from './serve-stats.ts';
import { closedLoop } from './serve-sweep.ts';
import { type Health, type LocalWorker, type ProcessMemory, servingProcess, startWorker } from './serve-worker.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    'no-cache-rounds': { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '200' },
    'load-tokens': { type: 'string', default: '32' },
    'load-timeout': { type: 'string', default: '120' },
    sweep: { type: 'string', default: '1,4,16,64' },
    'sweep-seconds': { type: 'string', default: '8' },
    'sweep-tokens': { type: 'string', default: '48' },
    corpus: { type: 'string', default: join(REPO_ROOT, '..', 'shared', 'data', 'en-es', 'dev.tsv') },
    defaults: { type: 'string', default: ['en-es-tiny', 'es-en-tiny'].map((id) => join(REPO_ROOT, 'models', id)).join(',') },
  },
});
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);
const NO_CACHE_ROUNDS = Number(args['no-cache-rounds']);
const CONCURRENCY = Number(args.concurrency);
const LOAD_TOKENS = Number(args['load-tokens']);
const LOAD_TIMEOUT_MS = Number(args['load-timeout']) * 1000;
const SWEEP = args.sweep.split(',').map(Number);
const SWEEP_MS = Number(args['sweep-seconds']) * 1000;
const SWEEP_TOKENS = Number(args['sweep-tokens']);
const DEFAULT_DIRS = args.defaults.split(',');
const BURST = 64; // streams arriving at once on each default model

// The bench plays many clients: one key may make 120 requests a minute (wrangler.toml [[ratelimits]]).
const API_KEYS = Array.from({ length: 128 }, (_, i) => `bench-serve-key-${String(i).padStart(4, '0')}`);
let keyTurn = 0;
const apiKey = () => API_KEYS[keyTurn++ % API_KEYS.length] as string;
const CORPUS = args.corpus; // English<TAB>Spanish lines: tokenizer training text and the test sentences
const SHORT_TOKENS = 20; // the first-token goal is for a 20-token sentence (EOS included)
const STEPS = 64; // decode figures at 64 output tokens; needs a source of >= 27 tokens (limit 2n + 10)
const FEW_STEPS = 16; // decode speed = (64 - 16) steps / (T(64) - T(16)): the encoder and HTTP cancel out

const log = (line: string) => console.error(line);

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'attend-bench-serve-'));
  try {
    await run(work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function run(work: string): Promise<void> {
  const began = performance.now();
  // 1) tokenizer, models, sentences
  const lines = (await readFile(CORPUS, 'utf8')).split('\n').filter(Boolean);
  const tokenizer = await trainBpe(lines.flatMap((line) => line.split('\t')), { vocabSize: 8000, minFrequency: 1 });
  const tiny = resolveConfig({ vocabSize: tokenizer.vocabSize });
  const small = resolveConfig({ vocabSize: tokenizer.vocabSize, dModel: 128, heads: 4, dFF: 512, encoderLayers: 2, decoderLayers: 2 });
  const models: BenchModel[] = [];
  for (const [id, config, seed] of [['bench-tiny', tiny, 1], ['bench-small', small, 2]] as const) {
    log(`exporting ${id} (d ${config.dModel}, ${config.encoderLayers}+${config.decoderLayers} layers, vocab ${config.vocabSize})`);
    models.push(await exportBenchModel({ id, dir: join(work, id), config, tokenizer, seed }));
  }
  const [tinyModel, smallModel] = models as [BenchModel, BenchModel];
  const oneRow = await withoutServingGraphs(tinyModel, 'bench-tiny-one-row', join(work, 'bench-tiny-one-row'));
  const english = lines.map((line) => line.split('\t')[0]!.trim());
  const texts = {
    short: pickSentence(english, tokenizer, (n) => n === SHORT_TOKENS),
    long: pickSentence(english, tokenizer, (n) => 2 * n + 10 >= STEPS && n <= 60),
  };

  log('starting the worker in workerd (TINY)');
  const tinyPhase = await withWorker([tinyModel.dir, oneRow.dir], (worker) => measureTiny(worker, { batched: tinyModel, oneRow }, tokenizer, texts));
  log('starting the worker in workerd (small)');
  const smallPhase = await withWorker([smallModel.dir, tinyModel.dir], (worker) => measureSmall(worker, smallModel, tinyModel, texts.short));
  log(`starting the worker in workerd (the default models: ${BURST} streams at once on each)`);
  const pairs = lines.map((line) => line.split('\t') as [string, string]);
  const defaults = await withWorker(DEFAULT_DIRS, (worker) => burstDefaults(worker, DEFAULT_DIRS, pairs, BURST, apiKey));

  // 7) figures
  const measured = figures({
    rounds: ROUNDS,
    tokenizerVocab: tokenizer.vocabSize,
    shortTokens: SHORT_TOKENS,
    longTokens: tokenizer.encode(texts.long, { addEos: true }).length,
    steps: STEPS,
    fewSteps: FEW_STEPS,
    loadTokens: LOAD_TOKENS,
    sweepTokens: SWEEP_TOKENS,
    sweepSeconds: SWEEP_MS / 1000,
    ...tinyPhase,
    ...smallPhase,
    defaults,
    seconds: (performance.now() - began) / 1000,
  });
  console.log(table(measured));
  console.log(JSON.stringify(measured));
}

async function withWorker<T>(modelDirs: readonly string[], use: (worker: LocalWorker) => Promise<T>): Promise<T> {
  const worker = await startWorker({ modelDirs, apiKey: API_KEYS.join(',') });
  try {
    await worker.health(); // lists the bucket, so that the first translation times the model load only
    return await use(worker);
  } finally {
    await worker.stop();
  }
}

/** Steps 2) to 5). */
async function measureTiny(worker: LocalWorker, models: { batched: BenchModel; oneRow: BenchModel }, tokenizer: Tokenizer, texts: { short: string; long: string }) {
  const model = models.batched;
  // 2) worker vs Node, alternating within each round so that all see the same machine load
  const viaWorker = (text: string, maxTokens: number) => streamTranslate({ baseURL: worker.url, apiKey: apiKey(), model: model.id, text, maxTokens });
  let requests = 0;
  const viaJson = (text: string, maxTokens: number) =>
    translateJson({ baseURL: worker.url, apiKey: apiKey(), model: model.id, text, maxTokens, spaces: requests++ });
  const idle = worker.memory();
  const cold = await viaWorker(texts.short, FEW_STEPS);
  const loaded = worker.memory();
  const native = await loadInNode('onnxruntime-node', model.dir, model.config, tokenizer);
  const wasm = await loadInNode('onnxruntime-web', model.dir, model.config, tokenizer);
  const nativeServing = await loadServingInNode('onnxruntime-node', model.dir, model.config, tokenizer);
  const wasmServing = await loadServingInNode('onnxruntime-web', model.dir, model.config, tokenizer);
  const samples = { worker: newSamples(), workerJson: newSamples(), native: newSamples(), wasm: newSamples(), nativeServing: newSamples(), wasmServing: newSamples() };
  const sides = [
    { side: samples.worker, translate: viaWorker },
    { side: samples.workerJson, translate: viaJson },
    { side: samples.native, translate: native.translate },
    { side: samples.wasm, translate: wasm.translate },
    { side: samples.nativeServing, translate: nativeServing.translate },
    { side: samples.wasmServing, translate: wasmServing.translate },
  ];
  const healthMs: number[] = []; // GET /health: the HTTP round trip through local workerd, no model work
  log(`rounds: ${WARMUP} warm-up + ${ROUNDS}`);
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const [, ms] = await timed(() => worker.health());
    if (round >= WARMUP) healthMs.push(ms);
    for (const { side, translate } of sides) {
      const short = expectSteps(await translate(texts.short, FEW_STEPS), FEW_STEPS);
      const few = expectSteps(await translate(texts.long, FEW_STEPS), FEW_STEPS);
      const many = expectSteps(await translate(texts.long, STEPS), STEPS);
      if (round < WARMUP) continue;
      side.short.push(short);
      side.few.push(few);
      side.many.push(many);
    }
  }

  // 3) KV cache vs the whole prefix each step, in Node; round 0 warms both up
  log(`KV cache vs full prefix: ${NO_CACHE_ROUNDS} rounds of ${STEPS} steps`);
  const source = tokenizer.encode(texts.long, { addEos: true });
  const cachedMs: number[] = [];
  const fullPrefixMs: number[] = [];
  let agreeingIds = STEPS - 1; // ids before the forced EOS
  for (let round = 0; round <= NO_CACHE_ROUNDS; round++) {
    const [withCache, cachedTime] = await timed(() => native.decodeCached(source, STEPS));
    const [withoutCache, fullPrefixTime] = await timed(() => native.decodeWithoutCache(source, STEPS));
    agreeingIds = Math.min(agreeingIds, commonPrefix(withCache, withoutCache));
    if (round === 0) continue;
    cachedMs.push(cachedTime);
    fullPrefixMs.push(fullPrefixTime);
  }
  for (const side of [native, wasm, nativeServing, wasmServing]) await side.release();

  // 4) concurrency sweep
  const sweep = await sweepClients(worker, models, texts.short, servingProcess(idle, loaded));
  // 5) load run
  const tiny = await loadAndMemory(worker, model, texts.short, { cold, warm: samples.worker.short, idle, loaded });
  return { ...samples, cachedMs, fullPrefixMs, agreeingIds, httpFloorMs: median(healthMs), tiny, sweep };
}

/** Step 4): at each level, the batched path and the one-row reference in turn, each warmed up first. */
async function sweepClients(worker: LocalWorker, models: { batched: BenchModel; oneRow: BenchModel }, text: string, pid: number): Promise<SweepRun> {
  const phases: SweepRun['phases'][number][] = [];
  for (const clients of SWEEP) {
    for (const [path, model] of [['batched', models.batched], ['one_row', models.oneRow]] as const) {
      log(`sweep: ${clients} clients, ${path}`);
      const request = () => ({ baseURL: worker.url, apiKey: apiKey(), model: model.id, text, maxTokens: SWEEP_TOKENS });
      await streamTranslate(request());
      phases.push({ path, ...(await closedLoop(request, clients, SWEEP_MS, () => worker.cpuMs(pid))) });
    }
  }
  const wasmHeapBytes = (await worker.health()).wasm_heap_bytes;
  // The sweep's rows: a 20-token source, caches of 1 to 48 tokens (24 on average), padded to multiples of 4.
  const ceiling = await measureStepCeiling(models.batched.dir, models.batched.config, { cacheLength: 24, sourceLength: SHORT_TOKENS });
  return { phases, wasmHeapBytes, ceiling };
}

/** Step 6). */
async function measureSmall(worker: LocalWorker, model: BenchModel, second: BenchModel, text: string) {
  const request = (m: BenchModel) => streamTranslate({ baseURL: worker.url, apiKey: apiKey(), model: m.id, text, maxTokens: FEW_STEPS });
  const warmRequests = async (m: BenchModel) => {
    const timings: StreamTiming[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i++) timings.push(expectSteps(await request(m), FEW_STEPS));
    return timings.slice(WARMUP);
  };
  const idle = worker.memory();
  const cold = await request(model);
  const loaded = worker.memory();
  const warm = await warmRequests(model);
  const small = await loadAndMemory(worker, model, text, { cold, warm, idle, loaded });
  const secondCold = await request(second);
  const secondWarm = await warmRequests(second);
  return { small, tinyColdWithRuntimeUpMs: secondCold.totalMs - median(secondWarm.map((t) => t.totalMs)) };
}

function newSamples(): Samples {
  return { short: [], few: [], many: [] };
}

type Snapshot = ReadonlyMap<number, ProcessMemory>;

/** The load run and the memory after it. */
async function loadAndMemory(
  worker: LocalWorker,
  model: BenchModel,
  text: string,
  before: { cold: StreamTiming; warm: readonly StreamTiming[]; idle: Snapshot; loaded: Snapshot },
): Promise<ModelRun> {
  log(`load run: ${CONCURRENCY} concurrent streams (${model.id})`);
  const load = await loadRun(() => ({ baseURL: worker.url, apiKey: apiKey(), model: model.id, text, maxTokens: LOAD_TOKENS }), CONCURRENCY, LOAD_TIMEOUT_MS);
  const afterLoadRun = worker.memory();
  const pid = servingProcess(before.idle, before.loaded);
  const others = [...afterLoadRun].filter(([other]) => other !== pid).map(([, memory]) => memory.peakBytes);
  // Local workerd can drop the first request after a burst ("Network connection lost"): count it, retry.
  let failedProbes = 0;
  let health: Health | undefined;
  while (!health) {
    health = await worker.health().catch((error: unknown) => {
      if (++failedProbes >= 3) throw error;
      return undefined;
    });
  }
  return {
    model,
    coldMs: before.cold.totalMs,
    warmMs: before.warm.map((t) => t.totalMs),
    memory: { idle: before.idle.get(pid)!, loaded: before.loaded.get(pid)!, afterLoadRun: afterLoadRun.get(pid)! },
    otherWorkerdPeakBytes: others.reduce((sum, bytes) => sum + bytes, 0),
    wasmHeapBytes: health.wasm_heap_bytes,
    load,
    failedProbes,
  };
}

/** The full prefix takes other fp32 rounding paths than the cache, so a near-tie argmax can flip. */
function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** Banned EOS makes every request exactly `steps` decoder steps; anything else would skew the rates. */
function expectSteps(timing: StreamTiming, steps: number): StreamTiming {
  if (timing.outputTokens !== steps) throw new Error(`expected ${steps} decoder steps, the request made ${timing.outputTokens}`);
  return timing;
}

/** The first line that is one sentence (the worker splits sentences) with a token count `fits` accepts. */
function pickSentence(texts: readonly string[], tokenizer: Tokenizer, fits: (tokens: number) => boolean): string {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const found = texts.find((text) => [...segmenter.segment(text)].length === 1 && fits(tokenizer.encode(text, { addEos: true }).length));
  if (!found) throw new Error(`${CORPUS} has no single sentence of the wanted length`);
  return found;
}

await main();
