// What the serving benchmark measured, turned into figures: one JSON object and a printed table.
import type { StreamTiming } from './serve-client.ts';
import type { LoadResult } from './serve-load.ts';
import type { BenchModel } from './serve-model.ts';
import { formatTable, median, mib, round } from './serve-stats.ts';
import type { ProcessMemory } from './serve-worker.ts';

/** Timings of one side (worker or native), one entry per measured round. */
export interface Samples {
  readonly short: StreamTiming[]; // the short source, few steps: first token
  readonly few: StreamTiming[]; // the long source, few steps
  readonly many: StreamTiming[]; // the long source, all steps
}

export interface ModelRun {
  readonly model: BenchModel;
  readonly coldMs: number; // the first request after the worker started
  readonly warmMs: readonly number[]; // the same request, later
  readonly memory: { readonly idle: ProcessMemory; readonly loaded: ProcessMemory; readonly afterLoadRun: ProcessMemory };
  readonly wasmHeapBytes: number;
  readonly load: LoadResult;
}

export interface Measurements {
  readonly rounds: number;
  readonly tokenizerVocab: number;
  readonly shortTokens: number;
  readonly longTokens: number;
  readonly steps: number;
  readonly fewSteps: number;
  readonly loadTokens: number;
  readonly worker: Samples;
  readonly native: Samples;
  readonly cachedMs: readonly number[];
  readonly fullPrefixMs: readonly number[];
  readonly sameIds: boolean;
  readonly tiny: ModelRun;
  readonly small: ModelRun;
  readonly seconds: number;
}

export type Figures = ReturnType<typeof figures>;

export function figures(m: Measurements) {
  // Decode speed: (steps - fewSteps) / (T(steps) - T(fewSteps)), per round; encoder and HTTP cancel out.
  const decode = (side: Samples) => {
    const stepMs = median(side.few.map((few, i) => (side.many[i]!.totalMs - few.totalMs) / (m.steps - m.fewSteps)));
    return { perSecond: 1000 / stepMs, endToEnd: (m.steps * 1000) / median(side.many.map((t) => t.totalMs)) };
  };
  const worker = decode(m.worker);
  const native = decode(m.native);
  const firstToken = { workerd: median(m.worker.short.map((t) => t.firstDeltaMs)), native: median(m.native.short.map((t) => t.firstDeltaMs)) };
  const model = (run: ModelRun) => ({
    d_model: run.model.config.dModel,
    layers: `${run.model.config.encoderLayers}+${run.model.config.decoderLayers}`,
    int8_mib: mib(run.model.int8Bytes),
    cold_start_ms: round(run.coldMs - median(run.warmMs)),
    workerd_peak_idle_mib: mib(run.memory.idle.peakBytes),
    workerd_peak_loaded_mib: mib(run.memory.loaded.peakBytes),
    workerd_peak_after_load_run_mib: mib(run.memory.afterLoadRun.peakBytes),
    workerd_rss_after_load_run_mib: mib(run.memory.afterLoadRun.rssBytes),
    wasm_heap_mib: mib(run.wasmHeapBytes),
    load: {
      requests: run.load.requests,
      errors: run.load.errors,
      error_samples: run.load.errorSamples,
      max_tokens: m.loadTokens,
      wall_ms: round(run.load.wallMs),
      total_p50_ms: round(run.load.totalP50Ms),
      total_p99_ms: round(run.load.totalP99Ms),
      first_delta_p50_ms: round(run.load.firstDeltaP50Ms),
      first_delta_p99_ms: round(run.load.firstDeltaP99Ms),
      tokens_per_s: round(run.load.tokensPerSecond),
    },
  });
  return {
    bench: 'serve',
    rounds: m.rounds,
    tokenizer_vocab: m.tokenizerVocab,
    short_source_tokens: m.shortTokens,
    long_source_tokens: m.longTokens,
    steps: m.steps,
    few_steps: m.fewSteps,
    decode_tokens_per_s: { workerd: round(worker.perSecond), native: round(native.perSecond) },
    decode_ratio_workerd_over_native: round(worker.perSecond / native.perSecond),
    end_to_end_tokens_per_s: { workerd: round(worker.endToEnd), native: round(native.endToEnd) },
    end_to_end_ratio_workerd_over_native: round(worker.endToEnd / native.endToEnd),
    first_token_ms: { workerd: round(firstToken.workerd), native: round(firstToken.native) },
    first_token_ratio_workerd_over_native: round(firstToken.workerd / firstToken.native),
    same_text_workerd_native: m.worker.many.every((t, i) => t.text === m.native.many[i]?.text),
    kv_cache_ms: { cached: round(median(m.cachedMs)), full_prefix: round(median(m.fullPrefixMs)) },
    kv_cache_speedup: round(median(m.fullPrefixMs) / median(m.cachedMs)),
    kv_cache_same_ids: m.sameIds,
    tiny: model(m.tiny),
    small: model(m.small),
    bench_seconds: round(m.seconds),
  };
}

export function table(f: Figures): string {
  const steps = f.steps;
  const rows: [string, string | number, string?][] = [
    ['decode tokens/s, workerd (HTTP, SSE)', f.decode_tokens_per_s.workerd, `per step, steps ${f.few_steps + 1}-${steps}`],
    ['decode tokens/s, onnxruntime-node', f.decode_tokens_per_s.native, 'same files, 1 thread'],
    ['  ratio workerd / native', f.decode_ratio_workerd_over_native, 'goal >= 0.5'],
    [`tokens/s over a whole ${steps}-step request, workerd / native`, `${f.end_to_end_tokens_per_s.workerd} / ${f.end_to_end_tokens_per_s.native}`, `ratio ${f.end_to_end_ratio_workerd_over_native}`],
    [`first token ms (${f.short_source_tokens}-token source), workerd`, f.first_token_ms.workerd, 'warm; goal < 50'],
    ['first token ms, native', f.first_token_ms.native, `ratio ${f.first_token_ratio_workerd_over_native}`],
    [`${steps} steps ms in Node, KV cache / full prefix`, `${f.kv_cache_ms.cached} / ${f.kv_cache_ms.full_prefix}`, `speedup ${f.kv_cache_speedup}x, same ids: ${f.kv_cache_same_ids}`],
  ];
  for (const name of ['tiny', 'small'] as const) {
    const m = f[name];
    rows.push(
      [`${name} (d ${m.d_model}, ${m.layers}): int8 graphs MiB`, m.int8_mib],
      [`${name}: cold start ms`, m.cold_start_ms, 'R2 read + verify + sessions (first - warm request)'],
      [`${name}: workerd peak MiB idle / loaded / after load run`, `${m.workerd_peak_idle_mib} / ${m.workerd_peak_loaded_mib} / ${m.workerd_peak_after_load_run_mib}`, `VmHWM; wasm heap ${m.wasm_heap_mib}`],
      [`${name}: load run errors`, `${m.load.errors} / ${m.load.requests}`, `${m.load.max_tokens} tokens each; ${m.load.tokens_per_s} tokens/s; ${m.load.wall_ms} ms`],
      [`${name}: load run ms, total p50 / p99`, `${m.load.total_p50_ms} / ${m.load.total_p99_ms}`],
      [`${name}: load run ms, first delta p50 / p99`, `${m.load.first_delta_p50_ms} / ${m.load.first_delta_p99_ms}`],
    );
  }
  return formatTable(rows);
}
