import { dtypeCode, dtypeOfData, typedFromNumbers, type DType, type TypedData } from './dtype.ts';
import { native } from './native.ts';
import { handleOf, Tensor } from './tensor.ts';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/**
 * A tensor holding a copy of data. A typed array sets the dtype (Uint8Array: bool) unless dtype says
 * otherwise; plain numbers default to float32.
 */
export function tensor(data: TypedData | number[], shape: number[], dtype?: DType): Tensor {
  const typed = Array.isArray(data) ? typedFromNumbers(data, dtype ?? 'float32') : data;
  const natural = dtypeOfData(typed);
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  const created = new Tensor(native.fromBytes(bytes, shape, dtypeCode(natural)));
  if (dtype === undefined || dtype === natural) return created;
  const converted = created.to(dtype);
  created.dispose();
  return converted;
}

export function zeros(shape: number[], opts: CreateOptions = {}): Tensor {
  return full(shape, 0, opts);
}

export function ones(shape: number[], opts: CreateOptions = {}): Tensor {
  return full(shape, 1, opts);
}

/** dtype defaults to float32 (JavaScript numbers do not tell 1 from 1.0). */
export function full(shape: number[], value: number, opts: CreateOptions = {}): Tensor {
  return withGrad(new Tensor(native.full(shape, value, dtypeCode(opts.dtype ?? 'float32'))), opts);
}

/** Standard normal samples from libtorch's default generator (see manualSeed). */
export function randn(shape: number[], opts: CreateOptions = {}): Tensor {
  return withGrad(new Tensor(native.randn(shape, dtypeCode(opts.dtype ?? 'float32'))), opts);
}

/** Uniform samples in [0, 1). */
export function rand(shape: number[], opts: CreateOptions = {}): Tensor {
  return withGrad(new Tensor(native.rand(shape, dtypeCode(opts.dtype ?? 'float32'))), opts);
}

/**
 * [start, end) in steps of 1: arange(end) or arange(start, end). As in PyTorch, int64 when the bounds
 * are integers, else float32.
 */
export function arange(startOrEnd: number, endOrOpts?: number | CreateOptions, maybeOpts?: CreateOptions): Tensor {
  const [start, end, opts] =
    typeof endOrOpts === 'number' ? [startOrEnd, endOrOpts, maybeOpts ?? {}] : [0, startOrEnd, endOrOpts ?? {}];
  const dtype = opts.dtype ?? (Number.isInteger(start) && Number.isInteger(end) ? 'int64' : 'float32');
  return withGrad(new Tensor(native.arange(start, end, dtypeCode(dtype))), opts);
}

export function cat(tensors: Tensor[], dim: number): Tensor {
  return new Tensor(native.cat(tensors.map(handleOf), dim));
}

export function stack(tensors: Tensor[], dim: number): Tensor {
  return new Tensor(native.stack(tensors.map(handleOf), dim));
}

/** Elementwise cond ? a : b, broadcasting; a or b may be a number. */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  const operand = (value: Tensor | number) => (typeof value === 'number' ? value : handleOf(value));
  return new Tensor(native.where(handleOf(cond), operand(a), operand(b)));
}

function withGrad(created: Tensor, opts: CreateOptions): Tensor {
  if (opts.requiresGrad) created.requiresGrad = true;
  return created;
}
