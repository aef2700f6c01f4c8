// The only module that imports onnxruntime-web (STYLE.md: one boundary per outside system).
//
// Why it looks like this: workerd refuses to compile WebAssembly from bytes at run time
// (`WebAssembly.instantiate(bytes)` throws "Wasm code generation disallowed by embedder"), and it cannot
// fetch the .wasm from a URL either. So the bundler compiles onnxruntime-web's .wasm into a
// `WebAssembly.Module` at deploy time (wrangler.toml `CompiledWasm` rule), and we hand that module to
// onnxruntime-web's Emscripten loader: we set `env.wasm.wasmBinary` to a marker buffer, the loader
// wraps it in a Uint8Array and calls `WebAssembly.instantiate(bytes, imports)`, and our wrapper answers
// exactly that call with `WebAssembly.instantiate(compiledModule, imports)`. Everything else goes to the
// real `instantiate`. onnx-runtime.test.ts fails if an upgrade changes this path.
//
// The build is the SIMD one (`ort-wasm-simd-threaded.wasm`, the only wasm 1.30 ships for the CPU EP)
// with numThreads = 1: Workers have no threads, so no pthread workers are ever spawned. No proxy worker.
// Pinned: onnxruntime-web 1.30.0 exactly (apps/worker/package.json).
import * as ort from 'onnxruntime-web/wasm';
import ortWasmModule from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import { nextTask } from './next-task.ts';

export type Session = ort.InferenceSession;
export type Tensor = ort.Tensor;
export type TensorData = BigInt64Array | Float32Array | Uint8Array; // int64 ids and masks, float32, bool

const WASM_MARKER = new ArrayBuffer(8);

let configured = false;
let running = false;
let wasmMemory: WebAssembly.Memory | undefined;
let patchDepth = 0;
let originalInstantiate: typeof WebAssembly.instantiate | undefined;

function configure(): void {
  if (configured) return;
  configured = true;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = WASM_MARKER;
  ort.env.logLevel = 'error';
}

/**
 * Replaces `WebAssembly.instantiate` while `run` runs, answering the loader's call for the marker and
 * passing every other call through. Overlapping runs share one patch (depth-counted).
 */
async function withCompiledWasm<T>(run: () => Promise<T>): Promise<T> {
  if (patchDepth++ === 0) {
    const original = WebAssembly.instantiate;
    originalInstantiate = original;
    WebAssembly.instantiate = (async (source: unknown, imports?: WebAssembly.Imports) => {
      if (ArrayBuffer.isView(source) && source.buffer === WASM_MARKER) {
        wasmMemory = findMemory(imports);
        const instance = await original(ortWasmModule, imports);
        return { instance, module: ortWasmModule };
      }
      return original(source as WebAssembly.Module, imports);
    }) as typeof WebAssembly.instantiate;
  }
  try {
    return await run();
  } finally {
    if (--patchDepth === 0 && originalInstantiate) WebAssembly.instantiate = originalInstantiate;
  }
}

/**
 * Creates an inference session from .onnx bytes; the first call also starts the wasm runtime.
 * `optimization` 'basic' suits graphs written already fused (the serving graphs): measured in
 * onnxruntime-web, their steps run as fast as with 'all', and the sessions load in about half the time.
 */
export function createSession(model: Uint8Array, optimization: 'basic' | 'all' = 'all'): Promise<Session> {
  configure();
  return withCompiledWasm(() =>
    ort.InferenceSession.create(model, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: optimization,
      // Every decoder step has a new sequence length: a memory pattern cannot be reused across steps.
      enableMemPattern: false,
    }),
  );
}

/**
 * Runs a session; one run at a time for the whole isolate.
 *
 * Every session shares the one wasm instance: two overlapping `run` calls can fail inside OrtRun and
 * leave the runtime's mutex held, after which every run blocks in Atomics.wait, which workerd forbids.
 * Runs come from the decoding scheduler's ticks (step-driver.ts), and OrtRun is synchronous and
 * onnxruntime-web settles `run` with microtasks only, so a tick's runs finish in the task that started
 * them and never meet another's. Should one find a run under way, it waits on a timer of its own: a
 * request must be resumed by an event of its own request ("Cannot perform I/O on behalf of a different
 * request" otherwise).
 *
 * Only the outputs named in `fetches` are copied out of the wasm heap.
 */
export async function runSession(session: Session, feeds: Record<string, Tensor>, fetches: readonly string[]): Promise<Record<string, Tensor>> {
  while (running) await nextTask();
  running = true;
  try {
    return await session.run(feeds, fetches);
  } finally {
    running = false;
  }
}

/**
 * Bytes of the wasm heap (sessions, tensors, arena). It only grows, so after a translation it is
 * the isolate's peak for the runtime; Workers allow 128 MB per isolate in all (DESIGN.md).
 */
export function wasmHeapBytes(): number {
  return wasmMemory?.buffer.byteLength ?? 0;
}

/** The threaded build imports its (shared) memory; Emscripten passes it among the imports. */
function findMemory(imports: WebAssembly.Imports | undefined): WebAssembly.Memory | undefined {
  for (const namespace of Object.values(imports ?? {})) {
    for (const value of Object.values(namespace)) if (value instanceof WebAssembly.Memory) return value;
  }
  return undefined;
}

export function makeTensor(type: 'int64' | 'float32' | 'bool', data: TensorData, dims: readonly number[]): Tensor {
  return new ort.Tensor(type, data, dims);
}
