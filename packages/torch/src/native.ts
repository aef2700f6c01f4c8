// The one module that loads the native addon (build/Release/attend_torch.node, built by scripts/build.mjs).
import { createRequire } from 'node:module';
import { findLibtorch, missingLibtorchMessage, notBuiltMessage } from './libtorch.mjs';

/** An at::Tensor owned by the addon; opaque to TypeScript. */
export type Handle = { readonly __tensor: unique symbol };
/** A torch::optim::Adam or AdamW owned by the addon. */
export type OptimizerHandle = { readonly __optimizer: unique symbol };
/** A c10d TCPStore and the ProcessGroupGloo over it, owned by the addon. */
export type GroupHandle = { readonly __group: unique symbol };

type Operand = Handle | number;
type Unary = (a: Handle) => Handle;
type Binary = (a: Handle, b: Operand) => Handle;

/** Argument order and meaning: see native/*.cc; dtypes travel as codes (dtype.ts). */
export interface Native {
  liveTensors(): number;
  dispose(a: Handle): void;
  manualSeed(seed: number): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  setGradEnabled(enabled: boolean): boolean;
  fromBytes(bytes: Uint8Array, shape: readonly number[], dtype: number): Handle;
  full(shape: readonly number[], value: number, dtype: number): Handle;
  randn(shape: readonly number[], dtype: number): Handle;
  rand(shape: readonly number[], dtype: number): Handle;
  arange(start: number, end: number, dtype: number): Handle;
  cat(tensors: Handle[], dim: number): Handle;
  stack(tensors: Handle[], dim: number): Handle;
  where(cond: Handle, a: Operand, b: Operand): Handle;
  shape(a: Handle): number[];
  dtype(a: Handle): number;
  numel(a: Handle): number;
  requiresGrad(a: Handle): boolean;
  setRequiresGrad(a: Handle, value: boolean): void;
  grad(a: Handle): Handle | null;
  zeroGrad(a: Handle): void;
  backward(a: Handle, grad?: Handle): void;
  copy(dst: Handle, src: Handle): void;
  data(a: Handle): ArrayBuffer;
  item(a: Handle): number;
  add(a: Handle, b: Operand, alpha?: number): Handle;
  sub(a: Handle, b: Operand, alpha?: number): Handle;
  mul: Binary;
  div: Binary;
  eq: Binary;
  ne: Binary;
  lt: Binary;
  gt: Binary;
  neg: Unary;
  sqrt: Unary;
  rsqrt: Unary;
  exp: Unary;
  log: Unary;
  abs: Unary;
  tanh: Unary;
  sigmoid: Unary;
  relu: Unary;
  logicalNot: Unary;
  contiguous: Unary;
  clone: Unary;
  detach: Unary;
  pow(a: Handle, exponent: number): Handle;
  matmul(a: Handle, b: Handle): Handle;
  softmax(a: Handle, dim: number): Handle;
  logSoftmax(a: Handle, dim: number): Handle;
  sum(a: Handle, dims: readonly number[] | undefined, keepdim: boolean): Handle;
  mean(a: Handle, dims: readonly number[] | undefined, keepdim: boolean): Handle;
  max(a: Handle, dim: number, keepdim: boolean): Handle;
  argmax(a: Handle, dim: number, keepdim: boolean): Handle;
  reshape(a: Handle, shape: readonly number[]): Handle;
  view(a: Handle, shape: readonly number[]): Handle;
  transpose(a: Handle, d0: number, d1: number): Handle;
  permute(a: Handle, dims: readonly number[]): Handle;
  unsqueeze(a: Handle, dim: number): Handle;
  squeeze(a: Handle, dim?: number): Handle;
  expand(a: Handle, shape: readonly number[]): Handle;
  narrow(a: Handle, dim: number, start: number, length: number): Handle;
  indexSelect(a: Handle, dim: number, index: Handle): Handle;
  gather(a: Handle, dim: number, index: Handle): Handle;
  maskedFill(a: Handle, mask: Handle, value: number): Handle;
  triu(a: Handle, k: number): Handle;
  tril(a: Handle, k: number): Handle;
  to(a: Handle, dtype: number): Handle;
  embedding(ids: Handle, weight: Handle, paddingIdx?: number): Handle;
  linear(x: Handle, weight: Handle, bias?: Handle): Handle;
  layerNorm(x: Handle, shape: readonly number[], weight: Handle | undefined, bias: Handle | undefined, eps: number): Handle;
  dropout(x: Handle, p: number, training: boolean): Handle;
  silu: Unary;
  crossEntropy(logits: Handle, targets: Handle, reduction: number, ignoreIndex: number, labelSmoothing: number): Handle;
  adamNew(
    params: Handle[],
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    decoupled: boolean,
  ): OptimizerHandle;
  adamStep(o: OptimizerHandle): void;
  adamZeroGrad(o: OptimizerHandle): void;
  adamSetLr(o: OptimizerHandle, lr: number): void;
  adamGetLr(o: OptimizerHandle): number;
  adamStateDict(o: OptimizerHandle): { step: number; tensors: Handle[] };
  adamLoadStateDict(o: OptimizerHandle, step: number, tensors: Handle[]): void;
  clipGradNorm(params: Handle[], maxNorm: number): number;
  groupNew(host: string, port: number, rank: number, worldSize: number, connectTimeoutMs: number, timeoutMs: number): GroupHandle;
  groupAllReduceSum(g: GroupHandle, tensors: Handle[]): void;
  groupBroadcast(g: GroupHandle, tensors: Handle[], root: number): void;
  groupBarrier(g: GroupHandle): void;
  groupStoreSet(g: GroupHandle, key: string, value: Uint8Array): void;
  groupStoreGet(g: GroupHandle, key: string): Uint8Array;
  groupClose(g: GroupHandle): void;
}

function load(): Native {
  try {
    return createRequire(import.meta.url)('../build/Release/attend_torch.node') as Native;
  } catch (error) {
    const libtorch = findLibtorch();
    const cause = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    throw new Error(libtorch.found ? notBuiltMessage(cause) : missingLibtorchMessage(libtorch.reason), { cause: error });
  }
}

export const native: Native = load();
