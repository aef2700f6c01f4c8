// What the serving benchmark measured, turned into figures: one JSON object and a printed table.
import type { StreamTiming } from './serve-client.ts';
import type { LoadResult } from './serve-load.ts';
import type { BenchModel } from './serve-model.ts';
import { fastest, formatTable, median, mib, round } from './serve-stats.ts';
import type { SweepPhase } from './serve-sweep.ts';
import type { StepCeiling } from './serve-ceiling.ts';
import type { DefaultsRun } from './serve-defaults.ts';
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
  /** Peak of the harness's other workerd process (not the worker's), after the load run. */
  readonly otherWorkerdPeakBytes: number;
  readonly load: LoadResult;
  /** GET /health right after the load run, failed before one answered. */
  readonly failedProbes: number;
}

/** The concurrency sweep: each level on the batched path and on the one-row reference. */
export interface SweepRun {
  readonly phases: readonly (SweepPhase & { readonly path: 'batched' | 'one_row' })[];
  /** GET /health after the sweep: both models loaded, every level run. */
  readonly wasmHeapBytes: number;
  /** The decoder graph alone at 1 and 16 rows: what batching can give at most. */
  readonly ceiling: StepCeiling;
}

export interface Measurements {
  readonly rounds: number;
  readonly tokenizerVocab: number;
  readonly shortTokens: number;
  readonly longTokens: number;
  readonly steps: number;
  readonly fewSteps: number;
  readonly loadTokens: number;
  readonly sweepTokens: number;
  readonly sweepSeconds: number;
  readonly worker: Samples;
  /** The worker answering in one JSON body: the same decoding without an SSE event per token. */
  readonly workerJson: Samples;
  readonly native: Samples;
  /** onnxruntime-web's WASM in Node: the worker's kernels without workerd and HTTP. */
  readonly wasm: Samples;
  /** The serving graphs through the worker's scheduler, in Node: native kernels, and WASM. */
  readonly nativeServing: Samples;
  readonly wasmServing: Samples;
  readonly sweep: SweepRun;
  readonly cachedMs: readonly number[];
  readonly fullPrefixMs: readonly number[];
  /** Leading generated ids on which cached and full-prefix decoding agree (fewest over rounds). */
  readonly agreeingIds: number;
  readonly tiny: ModelRun;
  readonly small: ModelRun;
  /** TINY loaded second in an isolate whose WASM runtime is up: R2 read + verify + sessions only. */
  readonly tinyColdWithRuntimeUpMs: number;
  /** The default models served together, after a burst of streams on each. */
  readonly defaults: DefaultsRun;
  /** Median GET /health round trip: what any request pays in local workerd before model work. */
  readonly httpFloorMs: number;
  readonly seconds: number;
}

export type Figures = ReturnType<typeof figures>;

export function figures(m: Measurements) {
  // Decode speed: (steps - fewSteps) / (T(steps) - T(fewSteps)), fastest of the rounds each; the
  // encoder and HTTP cancel out.
  const decode = (side: Samples) => {
    const many = fastest(side.many.map((t) => t.totalMs));
    const stepMs = (many - fastest(side.few.map((t) => t.totalMs))) / (m.steps - m.fewSteps);
    return { perSecond: 1000 / stepMs, endToEnd: (m.steps * 1000) / many };
  };
  const worker = decode(m.worker);
  const workerJson = decode(m.workerJson);
  const native = decode(m.native);
  const wasm = decode(m.wasm);
  const nativeServing = decode(m.nativeServing);
  const wasmServing = decode(m.wasmServing);
  const first = (side: Samples) => median(side.short.map((t) => t.firstDeltaMs));
  const firstToken = { workerd: first(m.worker), native: first(m.native), wasm: first(m.wasm) };
  const firstFastest = (side: Samples) => fastest(side.short.map((t) => t.firstDeltaMs));
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
    other_workerd_peak_mib: mib(run.otherWorkerdPeakBytes),
    load: {
      requests: run.load.requests,
      errors: run.load.errors,
      errors_connection_lost: run.load.connectionLost,
      error_samples: run.load.errorSamples,
      max_tokens: m.loadTokens,
      wall_ms: round(run.load.wallMs),
      total_p50_ms: round(run.load.totalP50Ms),
      total_p99_ms: round(run.load.totalP99Ms),
      first_delta_p50_ms: round(run.load.firstDeltaP50Ms),
      first_delta_p99_ms: round(run.load.firstDeltaP99Ms),
      tokens_per_s: round(run.load.tokensPerSecond),
      failed_requests_right_after: run.failedProbes,
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
    decode_tokens_per_s: {
      workerd: round(worker.perSecond),
      workerd_json: round(workerJson.perSecond),
      native: round(native.perSecond),
      wasm_in_node: round(wasm.perSecond),
      native_serving_graphs: round(nativeServing.perSecond),
      wasm_in_node_serving_graphs: round(wasmServing.perSecond),
    },
    decode_ratio_workerd_over_native: round(worker.perSecond / native.perSecond),
    decode_ratio_workerd_over_native_serving_graphs: round(worker.perSecond / nativeServing.perSecond),
    decode_ratio_wasm_serving_over_wasm_hf_graphs: round(wasmServing.perSecond / wasm.perSecond),
    decode_ratio_wasm_in_node_over_native: round(wasm.perSecond / native.perSecond),
    decode_ratio_workerd_over_wasm_in_node: round(worker.perSecond / wasm.perSecond),
    decode_ratio_workerd_over_workerd_json: round(worker.perSecond / workerJson.perSecond),
    end_to_end_tokens_per_s: { workerd: round(worker.endToEnd), native: round(native.endToEnd), wasm_in_node: round(wasm.endToEnd) },
    end_to_end_ratio_workerd_over_native: round(worker.endToEnd / native.endToEnd),
    first_token_ms: { workerd: round(firstToken.workerd), native: round(firstToken.native), wasm_in_node: round(firstToken.wasm) },
    first_token_fastest_ms: { workerd: round(firstFastest(m.worker)), native: round(firstFastest(m.native)) },
    first_token_ratio_workerd_over_native: round(firstFastest(m.worker) / firstFastest(m.native)),
    // Near 1 when the events reach the client only at the end (the stream does not stream).
    stream_first_delta_share_workerd: round(median(m.worker.many.map((t) => t.firstDeltaMs / t.totalMs))),
    same_text_workerd_native: m.worker.many.every((t, i) => t.text === m.native.many[i]?.text),
    same_text_workerd_wasm_in_node: m.worker.many.every((t, i) => t.text === m.wasm.many[i]?.text),
    same_text_workerd_json: m.worker.many.every((t, i) => t.text === m.workerJson.many[i]?.text),
    http_floor_ms: round(m.httpFloorMs),
    kv_cache_ms: { cached: round(fastest(m.cachedMs)), full_prefix: round(fastest(m.fullPrefixMs)) },
    kv_cache_speedup: round(fastest(m.fullPrefixMs) / fastest(m.cachedMs)),
    kv_cache_agreeing_ids: m.agreeingIds,
    sweep: sweepFigures(m),
    tiny: { ...model(m.tiny), cold_start_runtime_up_ms: round(m.tinyColdWithRuntimeUpMs) },
    small: model(m.small),
    defaults: {
      models: m.defaults.models.map((d) => ({ id: d.id, streams: d.streams, errors: d.errors, wall_ms: round(d.wallMs) })),
      wasm_heap_mib: mib(m.defaults.wasmHeapBytes),
    },
    bench_seconds: round(m.seconds),
  };
}

function sweepFigures(m: Measurements) {
  const at = (path: 'batched' | 'one_row', clients: number) => m.sweep.phases.find((p) => p.path === path && p.clients === clients);
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? Number.NaN : round(a / b));
  const levels = m.sweep.phases.map((p) => ({
    path: p.path,
    clients: p.clients,
    requests: p.requests,
    errors: p.errors,
    error_samples: p.errorSamples,
    tokens_per_s: round(p.tokensPerSecond),
    total_p50_ms: round(p.totalP50Ms),
    total_p99_ms: round(p.totalP99Ms),
    first_token_p50_ms: round(p.firstDeltaP50Ms),
    first_token_p99_ms: round(p.firstDeltaP99Ms),
    cpu_ms_per_token: round(p.cpuMsPerToken),
  }));
  const batched16 = at('batched', 16)?.tokensPerSecond;
  return {
    max_tokens: m.sweepTokens,
    seconds_per_level: m.sweepSeconds,
    levels,
    ratio_batched_16_over_batched_1: ratio(batched16, at('batched', 1)?.tokensPerSecond),
    ratio_batched_16_over_one_row_16: ratio(batched16, at('one_row', 16)?.tokensPerSecond),
    ratio_batched_64_over_one_row_64: ratio(at('batched', 64)?.tokensPerSecond, at('one_row', 64)?.tokensPerSecond),
    ratio_batched_1_over_one_row_1: ratio(at('batched', 1)?.tokensPerSecond, at('one_row', 1)?.tokensPerSecond),
    wasm_heap_mib_after_sweep: mib(m.sweep.wasmHeapBytes),
    kernel_ms_per_run: { rows_1: round(m.sweep.ceiling.msPerRun[1]!), rows_16: round(m.sweep.ceiling.msPerRun[16]!) },
    kernel_ratio_16_rows_over_1: round(m.sweep.ceiling.ratio16Over1),
  };
}

export function table(f: Figures): string {
  const steps = f.steps;
  const rows: (readonly [string, string | number, string?])[] = [
    ['decode tokens/s, workerd (HTTP, SSE)', f.decode_tokens_per_s.workerd, `per step, steps ${f.few_steps + 1}-${steps}; fastest rounds`],
    ['decode tokens/s, onnxruntime-node', f.decode_tokens_per_s.native, 'same files, 1 thread'],
    ['  ratio workerd / native', f.decode_ratio_workerd_over_native, 'goal >= 0.5'],
    ['decode tokens/s, onnxruntime-web WASM in Node', f.decode_tokens_per_s.wasm_in_node, `the worker's kernels; / native ${f.decode_ratio_wasm_in_node_over_native}`],
    ['  ratio workerd / WASM in Node', f.decode_ratio_workerd_over_wasm_in_node, 'what workerd, HTTP and SSE cost'],
    ['decode tokens/s, workerd answering JSON', f.decode_tokens_per_s.workerd_json, `no SSE; streamed / JSON ${f.decode_ratio_workerd_over_workerd_json}: an event per token`],
    ['decode tokens/s, serving graphs in Node: native / WASM', `${f.decode_tokens_per_s.native_serving_graphs} / ${f.decode_tokens_per_s.wasm_in_node_serving_graphs}`, `workerd / native on these ${f.decode_ratio_workerd_over_native_serving_graphs}; WASM serving / WASM HF graphs ${f.decode_ratio_wasm_serving_over_wasm_hf_graphs}`],
    [`tokens/s over a whole ${steps}-step request, workerd / native`, `${f.end_to_end_tokens_per_s.workerd} / ${f.end_to_end_tokens_per_s.native}`, `ratio ${f.end_to_end_ratio_workerd_over_native}`],
    [`first token ms (${f.short_source_tokens}-token source), workerd`, f.first_token_ms.workerd, `warm, median; goal < 50; fastest ${f.first_token_fastest_ms.workerd}`],
    ['first token ms, native / WASM in Node', `${f.first_token_ms.native} / ${f.first_token_ms.wasm_in_node}`, `median; fastest workerd / native ${f.first_token_ratio_workerd_over_native}`],
    [`share of a ${steps}-step stream before its first delta, workerd`, f.stream_first_delta_share_workerd, 'median; near 1 = the events arrive at the end'],
    ['GET /health round trip ms, workerd', f.http_floor_ms, 'the HTTP floor of every request'],
    ['same output text, workerd and native / WASM in Node / JSON', `${f.same_text_workerd_native} / ${f.same_text_workerd_wasm_in_node} / ${f.same_text_workerd_json}`],
    [`${steps} steps ms in Node (fastest), KV cache / full prefix`, `${f.kv_cache_ms.cached} / ${f.kv_cache_ms.full_prefix}`, `speedup ${f.kv_cache_speedup}x, first ${f.kv_cache_agreeing_ids} ids agree`],
  ];
  const sw = f.sweep;
  rows.push([`sweep: closed-loop clients, ${sw.max_tokens} tokens each, ${sw.seconds_per_level} s a level`, 'tok/s', 'p50 / p99 ms, first token p50 / p99 ms, CPU ms per token, errors']);
  for (const level of sw.levels) {
    rows.push([
      `  ${level.clients} clients, ${level.path === 'batched' ? 'batched (serving graphs)' : 'one row per run (reference)'}`,
      level.tokens_per_s,
      `${level.total_p50_ms} / ${level.total_p99_ms}, ${level.first_token_p50_ms} / ${level.first_token_p99_ms}, ${level.cpu_ms_per_token}, ${level.errors} of ${level.requests}`,
    ]);
  }
  rows.push(
    ['sweep: batched at 16 clients / at 1', sw.ratio_batched_16_over_batched_1, 'goal >= 4'],
    [
      '  the decoder graph alone, rows/s at 16 rows / at 1',
      sw.kernel_ratio_16_rows_over_1,
      `the most batching can give: ${sw.kernel_ms_per_run.rows_1} / ${sw.kernel_ms_per_run.rows_16} ms a run (WASM in Node)`,
    ],
    ['sweep: batched / one row per run, at 16 clients', sw.ratio_batched_16_over_one_row_16, `goal >= 4; at 64: ${sw.ratio_batched_64_over_one_row_64}; at 1: ${sw.ratio_batched_1_over_one_row_1}`],
    ['sweep: wasm heap MiB after it, both models loaded', sw.wasm_heap_mib_after_sweep, 'goal <= 64'],
  );
  for (const name of ['tiny', 'small'] as const) {
    const m = f[name];
    rows.push(
      [`${name} (d ${m.d_model}, ${m.layers}): int8 graphs MiB`, m.int8_mib],
      [`${name}: cold start ms`, m.cold_start_ms, 'first request after start - warm one: runtime start, R2 read, verify, sessions'],
      ...(name === 'tiny' ? [['tiny: cold start ms, loaded second', f.tiny.cold_start_runtime_up_ms, 'WASM runtime already up: R2 read + verify + sessions'] as const] : []),
      [`${name}: workerd peak MiB idle / loaded / after load run`, `${m.workerd_peak_idle_mib} / ${m.workerd_peak_loaded_mib} / ${m.workerd_peak_after_load_run_mib}`, `VmHWM; wasm heap ${m.wasm_heap_mib}; the harness's other workerd ${m.other_workerd_peak_mib}`],
      [`${name}: load run errors`, `${m.load.errors} / ${m.load.requests}`, `${m.load.errors_connection_lost} of them "Network connection lost" (miniflare's hop)`],
      [`${name}: load run tokens/s, wall ms`, `${m.load.tokens_per_s}, ${m.load.wall_ms}`, `${m.load.max_tokens} tokens each`],
      [`${name}: load run ms, total p50 / p99`, `${m.load.total_p50_ms} / ${m.load.total_p99_ms}`],
      [`${name}: load run ms, first delta p50 / p99`, `${m.load.first_delta_p50_ms} / ${m.load.first_delta_p99_ms}`],
      [`${name}: failed requests right after the load run`, m.load.failed_requests_right_after, 'GET /health, retried'],
    );
  }
  for (const d of f.defaults.models) rows.push([`default model ${d.id}: streams at once, errors`, `${d.streams}, ${d.errors}`, `all done in ${d.wall_ms} ms`]);
  rows.push(['default models: wasm heap MiB after, both loaded', f.defaults.wasm_heap_mib, 'goal <= 64']);
  return formatTable(rows);
}
