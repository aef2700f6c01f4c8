// Fails if an onnxruntime-web upgrade changes how its loader instantiates the wasm inside workerd.
import { describe, expect, it } from 'vitest';
import { tinyOnnxModel } from '../../test/tiny-onnx.ts';
import { createSession, makeTensor, runSession, wasmHeapBytes } from './onnx-runtime.ts';

describe('onnxruntime-web in workerd', () => {
  it('cannot compile wasm from bytes at run time (why onnx-runtime.ts exists)', async () => {
    const emptyModule = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    await expect(WebAssembly.instantiate(emptyModule)).rejects.toThrow(/disallowed|code generation/i);
  });

  it('runs a session on the bundled wasm module', async () => {
    const session = await createSession(tinyOnnxModel());
    expect(session.inputNames).toEqual(['x']);
    const x = makeTensor('float32', new Float32Array([1, 0, 0, 1, 1, 1]), [3, 2]);
    const { y } = await session.run({ x });
    expect(y?.dims).toEqual([3, 2]);
    expect([...(y?.data as Float32Array)]).toEqual([11, 22, 13, 24, 14, 26]);
    expect(wasmHeapBytes()).toBeGreaterThanOrEqual(16 << 20); // Emscripten's initial 256 pages of 64 KiB
    // A second session reuses the started runtime, and the global instantiate is restored.
    const again = await createSession(tinyOnnxModel());
    expect((await again.run({ x })).y?.dims).toEqual([3, 2]);
    await expect(WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))).rejects.toThrow();
  });

  it('runs one session run at a time: a run that finds another under way waits for it', async () => {
    const session = await createSession(tinyOnnxModel());
    const x = makeTensor('float32', new Float32Array([1, 0, 0, 1, 1, 1]), [3, 2]);
    const outputs = await Promise.all([runSession(session, { x }, ['y']), runSession(session, { x }, ['y'])]);
    for (const { y } of outputs) expect([...(y?.data as Float32Array)]).toEqual([11, 22, 13, 24, 14, 26]);
  });

  it('rejects bytes that are not a model', async () => {
    await expect(createSession(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
  });
});
