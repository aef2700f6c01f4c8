// Serving speed of the edge worker, as ratios measured in one run (the machine is shared: never
// compare absolute times across runs). Random int8 weights of the TINY shape with EOS banned, so every
// request costs a known number of decoder steps.
// 1) train a BPE tokenizer (8,000) on the dev corpus; export TINY and a smaller model; seed local R2
// 2) TINY under `wrangler dev`: cold first request, then rounds alternating worker (HTTP, SSE) and
//    onnxruntime-node (same files, @attend/decoding, one thread): first token and decode speed
// 3) in Node: greedy decoding with the KV cache vs re-running the whole prefix at each step
// 4) a load run of concurrent streams; workerd peak memory after load and after the load run
// 5) the same cold start, memory and load run for the smaller model under a fresh worker
// 6) a table, and one JSON line with every figure
//   npx tsx scripts/bench/serve.ts [--rounds 10] [--warmup 3] [--no-cache-rounds 3] [--concurrency 200]
//     [--load-tokens 32] [--load-timeout 120]
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '@attend/model-spec';
import { type Tokenizer, trainBpe } from '@attend/tokenizer';
import { uploadModel } from '../lib/r2-upload.ts';
import { DEFAULT_BUCKET } from '../lib/wrangler.ts';
import { type StreamTiming, streamTranslate } from './serve-client.ts';
import { loadRun } from './serve-load.ts';
import { type BenchModel, exportBenchModel } from './serve-model.ts';
import { loadNative } from './serve-native.ts';
import { formatTable, median, mib, round } from './serve-stats.ts';
import { startWorker } from './serve-worker.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    'no-cache-rounds': { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '200' },
    'load-tokens': { type: 'string', default: '32' },
    'load-timeout': { type: 'string', default: '120' },
  },
});
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);
const NO_CACHE_ROUNDS = Number(args['no-cache-rounds']);
const CONCURRENCY = Number(args.concurrency);
const LOAD_TOKENS = Number(args['load-tokens']);
const LOAD_TIMEOUT_MS = Number(args['load-timeout']) * 1000;

const API_KEY = 'bench-serve-key';
const CORPUS = '/work/shared/data/en-es/dev.tsv';
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
  // 1) tokenizer, models, local R2
  const lines = (await readFile(CORPUS, 'utf8')).split('\n').filter(Boolean);
  const tokenizer = await trainBpe(lines.flatMap((line) => line.split('\t')), { vocabSize: 8000, minFrequency: 1 });
  const tiny = resolveConfig({ vocabSize: tokenizer.vocabSize });
  const small = resolveConfig({ vocabSize: tokenizer.vocabSize, dModel: 128, heads: 4, dFF: 512, encoderLayers: 2, decoderLayers: 2 });
  const models: BenchModel[] = [];
  for (const [id, config, seed] of [['bench-tiny', tiny, 1], ['bench-small', small, 2]] as const) {
    log(`exporting ${id} (d ${config.dModel}, ${config.encoderLayers}+${config.decoderLayers} layers, vocab ${config.vocabSize})`);
    models.push(await exportBenchModel({ id, dir: join(work, id), config, tokenizer, seed }));
  }
  const persistTo = join(work, 'state');
  for (const model of models) await uploadModel(model.dir, { bucket: DEFAULT_BUCKET, remote: false, persistTo, servingOnly: true, log: () => {} });
  const english = lines.map((line) => line.split('\t')[0]!);
  const short = pickSentence(english, tokenizer, (n) => n === SHORT_TOKENS);
  const long = pickSentence(english, tokenizer, (n) => (n - 10) / 2 >= STEPS / 2 - 5 && n <= 60);
  const [tinyModel, smallModel] = models as [BenchModel, BenchModel];

  // 2) TINY: worker vs native, alternating within each round so both see the same machine load
  log('starting wrangler dev (TINY)');
  let worker = await startWorker({ persistTo, apiKey: API_KEY });
  const tinyMemory = { idle: worker.memory() };
  const viaWorker = (text: string, maxTokens: number, model = tinyModel.id) =>
    streamTranslate({ baseURL: worker.url, apiKey: API_KEY, model, text, maxTokens });
  const tinyCold = await viaWorker(short, FEW_STEPS);
  const tinyLoaded = { ...tinyMemory, loaded: worker.memory() };
  const native = await loadNative(tinyModel.dir, tiny, tokenizer);
  const samples = { worker: newSamples(), native: newSamples() };
  log(`rounds: ${WARMUP} warm-up + ${ROUNDS}`);
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const keep = round >= WARMUP;
    for (const [side, translate] of [['worker', viaWorker], ['native', native.translate]] as const) {
      const first = expectSteps(await translate(short, FEW_STEPS), FEW_STEPS);
      const few = expectSteps(await translate(long, FEW_STEPS), FEW_STEPS);
      const many = expectSteps(await translate(long, STEPS), STEPS);
      if (keep) samples[side].push(first, few, many);
    }
  }
  const warmShortMs = median(samples.worker.short.map((t) => t.totalMs));

  // 3) KV cache vs the whole prefix each step, in Node
  log(`KV cache vs none: ${NO_CACHE_ROUNDS} rounds of ${STEPS} steps`);
  const source = tokenizer.encode(long, { addEos: true });
  const cached: number[] = [];
  const uncached: number[] = [];
  let sameIds = true;
  for (let round = 0; round <= NO_CACHE_ROUNDS; round++) {
    let start = performance.now();
    const withCache = await native.decodeCached(source, STEPS);
    const cachedMs = performance.now() - start;
    start = performance.now();
    const withoutCache = await native.decodeWithoutCache(source, STEPS);
    const uncachedMs = performance.now() - start;
    sameIds &&= withCache.join() === withoutCache.join();
    if (round > 0) cached.push(cachedMs), uncached.push(uncachedMs); // round 0 warms the full-prefix shapes
  }
  await native.release();

  // 4) load run on TINY
  log(`load run: ${CONCURRENCY} concurrent streams (TINY)`);
  const tinyLoad = await loadRun({ baseURL: worker.url, apiKey: API_KEY, model: tinyModel.id, text: short, maxTokens: LOAD_TOKENS }, CONCURRENCY, LOAD_TIMEOUT_MS);
  const tinyPeak = { ...tinyLoaded, afterLoadRun: worker.memory(), wasmHeapBytes: (await worker.health()).wasm_heap_bytes };
  await worker.stop();

  // 5) the smaller model under a fresh worker
  log('starting wrangler dev (small)');
  worker = await startWorker({ persistTo, apiKey: API_KEY });
  const smallIdle = worker.memory();
  const smallCold = await viaWorker(short, FEW_STEPS, smallModel.id);
  const smallLoaded = worker.memory();
  const smallWarm: number[] = [];
  for (let i = 0; i < WARMUP + 2; i++) smallWarm.push((await viaWorker(short, FEW_STEPS, smallModel.id)).totalMs);
  log(`load run: ${CONCURRENCY} concurrent streams (small)`);
  const smallLoad = await loadRun({ baseURL: worker.url, apiKey: API_KEY, model: smallModel.id, text: short, maxTokens: LOAD_TOKENS }, CONCURRENCY, LOAD_TIMEOUT_MS);
  const smallPeak = { idle: smallIdle, loaded: smallLoaded, afterLoadRun: worker.memory(), wasmHeapBytes: (await worker.health()).wasm_heap_bytes };
  await worker.stop();

  // 6) figures
  const decode = (side: Samples) => {
    const stepMs = median(side.few.map((few, i) => (side.many[i]!.totalMs - few.totalMs) / (STEPS - FEW_STEPS)));
    return { tokensPerSecond: 1000 / stepMs, endToEndTokensPerSecond: (STEPS * 1000) / median(side.many.map((t) => t.totalMs)) };
  };
  const workerDecode = decode(samples.worker);
  const nativeDecode = decode(samples.native);
  const ttft = { worker: median(samples.worker.short.map((t) => t.firstDeltaMs)), native: median(samples.native.short.map((t) => t.firstDeltaMs)) };
  const memoryFigures = (m: typeof smallPeak, model: BenchModel, coldMs: number, warmMs: number) => ({
    int8_mib: mib(model.int8Bytes),
    cold_start_ms: round(coldMs - warmMs),
    workerd_peak_idle_mib: mib(m.idle.peakBytes),
    workerd_peak_loaded_mib: mib(m.loaded.peakBytes),
    workerd_peak_after_load_run_mib: mib(m.afterLoadRun.peakBytes),
    workerd_rss_after_load_run_mib: mib(m.afterLoadRun.rssBytes),
    wasm_heap_mib: mib(m.wasmHeapBytes),
  });
  const loadFigures = (l: typeof tinyLoad) => ({
    requests: l.requests,
    errors: l.errors,
    error_samples: l.errorSamples,
    max_tokens: LOAD_TOKENS,
    wall_ms: round(l.wallMs),
    total_p50_ms: round(l.totalP50Ms),
    total_p99_ms: round(l.totalP99Ms),
    first_delta_p50_ms: round(l.firstDeltaP50Ms),
    first_delta_p99_ms: round(l.firstDeltaP99Ms),
    tokens_per_s: round(l.tokensPerSecond),
  });
  const figures = {
    bench: 'serve',
    rounds: ROUNDS,
    tokenizer_vocab: tokenizer.vocabSize,
    short_source_tokens: SHORT_TOKENS,
    long_source_tokens: source.length,
    steps: STEPS,
    decode_tokens_per_s: { workerd: round(workerDecode.tokensPerSecond), native: round(nativeDecode.tokensPerSecond) },
    decode_ratio_workerd_over_native: round(workerDecode.tokensPerSecond / nativeDecode.tokensPerSecond),
    end_to_end_tokens_per_s_64: { workerd: round(workerDecode.endToEndTokensPerSecond), native: round(nativeDecode.endToEndTokensPerSecond) },
    end_to_end_ratio_workerd_over_native: round(workerDecode.endToEndTokensPerSecond / nativeDecode.endToEndTokensPerSecond),
    first_token_ms: { workerd: round(ttft.worker), native: round(ttft.native) },
    first_token_ratio_workerd_over_native: round(ttft.worker / ttft.native),
    same_text_workerd_native: samples.worker.many.every((t, i) => t.text === samples.native.many[i]!.text),
    kv_cache_64_ms: { cached: round(median(cached)), full_prefix: round(median(uncached)) },
    kv_cache_speedup_64: round(median(uncached) / median(cached)),
    kv_cache_same_ids: sameIds,
    tiny: { ...memoryFigures(tinyPeak, tinyModel, tinyCold.totalMs, warmShortMs), load: loadFigures(tinyLoad) },
    small: { ...memoryFigures(smallPeak, smallModel, smallCold.totalMs, median(smallWarm.slice(WARMUP))), load: loadFigures(smallLoad) },
    bench_seconds: round((performance.now() - began) / 1000),
  };
  printTable(figures);
  console.log(JSON.stringify(figures));
}

interface Samples {
  readonly short: StreamTiming[];
  readonly few: StreamTiming[];
  readonly many: StreamTiming[];
  push(short: StreamTiming, few: StreamTiming, many: StreamTiming): void;
}

function newSamples(): Samples {
  const samples: Samples = {
    short: [],
    few: [],
    many: [],
    push: (short, few, many) => {
      samples.short.push(short);
      samples.few.push(few);
      samples.many.push(many);
    },
  };
  return samples;
}

/** Banned EOS makes every request exactly `steps` decoder steps; anything else would skew the rates. */
function expectSteps(timing: StreamTiming, steps: number): StreamTiming {
  if (timing.outputTokens !== steps) throw new Error(`expected ${steps} decoder steps, the request made ${timing.outputTokens}`);
  return timing;
}

/** The first line that is one sentence (the worker splits sentences) with a token count `fits` accepts. */
function pickSentence(texts: readonly string[], tokenizer: Tokenizer, fits: (tokens: number) => boolean): string {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const found = texts.find((text) => [...segmenter.segment(text.trim())].length === 1 && fits(tokenizer.encode(text.trim(), { addEos: true }).length));
  if (!found) throw new Error(`${CORPUS} has no single sentence of the wanted length`);
  return found.trim();
}

function printTable(f: ReturnType<typeof JSON.parse>): void {
  const rows: [string, string | number, string?][] = [
    ['decode tokens/s, workerd (HTTP, SSE)', f.decode_tokens_per_s.workerd, `(T(${STEPS}) - T(${FEW_STEPS})) per step`],
    ['decode tokens/s, onnxruntime-node', f.decode_tokens_per_s.native, '1 thread'],
    ['  ratio workerd / native', f.decode_ratio_workerd_over_native, 'goal >= 0.5'],
    [`end-to-end tokens/s at ${STEPS}, workerd / native`, `${f.end_to_end_tokens_per_s_64.workerd} / ${f.end_to_end_tokens_per_s_64.native}`, `ratio ${f.end_to_end_ratio_workerd_over_native}`],
    [`first token ms (${SHORT_TOKENS}-token source), workerd`, f.first_token_ms.workerd, 'warm; goal < 50'],
    ['first token ms, native', f.first_token_ms.native, `ratio ${f.first_token_ratio_workerd_over_native}`],
    [`${STEPS} steps ms, KV cache / full prefix`, `${f.kv_cache_64_ms.cached} / ${f.kv_cache_64_ms.full_prefix}`, `speedup ${f.kv_cache_speedup_64}x, same ids: ${f.kv_cache_same_ids}`],
  ];
  for (const name of ['tiny', 'small'] as const) {
    const m = f[name];
    rows.push(
      [`${name}: int8 graphs MiB`, m.int8_mib],
      [`${name}: cold start ms`, m.cold_start_ms, 'R2 read + verify + sessions (first - warm request)'],
      [`${name}: workerd peak MiB idle / loaded / after load run`, `${m.workerd_peak_idle_mib} / ${m.workerd_peak_loaded_mib} / ${m.workerd_peak_after_load_run_mib}`, `VmHWM; wasm heap ${m.wasm_heap_mib}`],
      [`${name}: load run errors`, `${m.load.errors} / ${m.load.requests}`, `${m.load.max_tokens} tokens each, ${m.load.tokens_per_s} tokens/s`],
      [`${name}: load run ms total p50 / p99`, `${m.load.total_p50_ms} / ${m.load.total_p99_ms}`],
      [`${name}: load run ms first delta p50 / p99`, `${m.load.first_delta_p50_ms} / ${m.load.first_delta_p99_ms}`],
    );
  }
  console.log(formatTable(rows));
}

await main();
