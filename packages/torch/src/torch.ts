// The `torch` namespace: the entry point of the API, mirroring PyTorch's names in camelCase.
import { arange, cat, full, ones, rand, randn, stack, tensor, where, zeros } from './creation.ts';
import { ProcessGroup } from './distributed.ts';
import { crossEntropy, dropout, embedding, layerNorm, linear, logSoftmax, relu, silu, softmax } from './functional.ts';
import { native } from './native.ts';
import { Adam, clipGradNorm } from './optim.ts';
import { loadSafetensors, saveSafetensors } from './safetensors.ts';
import { keep, tidy } from './scope.ts';
import type { Tensor } from './tensor.ts';

/** Seeds libtorch's default CPU generator (randn, rand, dropout). */
function manualSeed(seed: number): void {
  native.manualSeed(seed);
}

/**
 * Threads of libtorch's kernels (intra-op OpenMP, and OpenBLAS's own pool when it has one); the first
 * call also sizes the inter-op pool. setNumThreads(1) runs every kernel on the calling thread.
 */
function setNumThreads(n: number): void {
  native.setNumThreads(n);
}

function getNumThreads(): number {
  return native.getNumThreads();
}

/** Runs fn without recording autograd history (evaluation, decoding, weight updates). */
function noGrad<T>(fn: () => T): T {
  const previous = native.setGradEnabled(false);
  try {
    return fn();
  } finally {
    native.setGradEnabled(previous);
  }
}

/** Tensors created and not yet disposed (nor garbage-collected). */
function liveTensors(): number {
  return native.liveTensors();
}

export const torch = {
  tensor,
  zeros,
  ones,
  full,
  randn,
  rand,
  arange,
  cat,
  stack,
  where,
  manualSeed,
  setNumThreads,
  getNumThreads,
  noGrad,
  tidy,
  keep: keep as (tensor: Tensor) => Tensor,
  liveTensors,
  F: { embedding, linear, layerNorm, dropout, relu, silu, softmax, logSoftmax, crossEntropy },
  optim: { Adam },
  nn: { clipGradNorm },
  distributed: { ProcessGroup },
  saveSafetensors,
  loadSafetensors,
} as const;
