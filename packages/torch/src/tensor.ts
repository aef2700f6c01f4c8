import { DTYPES, dtypeCode, typedView, type DType, type TypedData } from './dtype.ts';
import { native, type Handle } from './native.ts';
import { track } from './scope.ts';

type Operand = Tensor | number;

/** The addon handle of a tensor, for the other modules of this package (set by Tensor's static block). */
export let handleOf: (tensor: Tensor) => Handle;

/**
 * A libtorch tensor. Every op returns a new Tensor that the caller owns: free it with dispose() or
 * create it inside torch.tidy(). Names and semantics follow PyTorch.
 */
export class Tensor {
  readonly #handle: Handle;
  #disposed = false;

  /** Internal: wraps a handle from the addon and registers it with the open tidy scope. */
  constructor(handle: Handle) {
    this.#handle = handle;
    track(this);
  }

  static {
    handleOf = (tensor) => tensor.#handle;
  }

  get shape(): number[] {
    return native.shape(this.#handle);
  }
  get dtype(): DType {
    return DTYPES[native.dtype(this.#handle)] as DType;
  }
  get dim(): number {
    return native.shape(this.#handle).length;
  }
  get numel(): number {
    return native.numel(this.#handle);
  }
  get requiresGrad(): boolean {
    return native.requiresGrad(this.#handle);
  }
  set requiresGrad(value: boolean) {
    native.setRequiresGrad(this.#handle, value);
  }
  /** A new handle on each access (dispose it); null until a backward pass reaches this tensor. */
  get grad(): Tensor | null {
    const grad = native.grad(this.#handle);
    return grad === null ? null : new Tensor(grad);
  }
  get disposed(): boolean {
    return this.#disposed;
  }

  add(other: Operand, alpha?: number): Tensor {
    return new Tensor(native.add(this.#handle, operand(other), alpha));
  }
  sub(other: Operand, alpha?: number): Tensor {
    return new Tensor(native.sub(this.#handle, operand(other), alpha));
  }
  mul(other: Operand): Tensor {
    return new Tensor(native.mul(this.#handle, operand(other)));
  }
  div(other: Operand): Tensor {
    return new Tensor(native.div(this.#handle, operand(other)));
  }
  neg(): Tensor {
    return new Tensor(native.neg(this.#handle));
  }
  pow(exponent: number): Tensor {
    return new Tensor(native.pow(this.#handle, exponent));
  }
  sqrt(): Tensor {
    return new Tensor(native.sqrt(this.#handle));
  }
  rsqrt(): Tensor {
    return new Tensor(native.rsqrt(this.#handle));
  }
  exp(): Tensor {
    return new Tensor(native.exp(this.#handle));
  }
  log(): Tensor {
    return new Tensor(native.log(this.#handle));
  }
  abs(): Tensor {
    return new Tensor(native.abs(this.#handle));
  }
  tanh(): Tensor {
    return new Tensor(native.tanh(this.#handle));
  }
  sigmoid(): Tensor {
    return new Tensor(native.sigmoid(this.#handle));
  }
  relu(): Tensor {
    return new Tensor(native.relu(this.#handle));
  }
  matmul(other: Tensor): Tensor {
    return new Tensor(native.matmul(this.#handle, other.#handle));
  }
  softmax(dim: number): Tensor {
    return new Tensor(native.softmax(this.#handle, dim));
  }
  logSoftmax(dim: number): Tensor {
    return new Tensor(native.logSoftmax(this.#handle, dim));
  }

  /** Over all elements when dims is omitted. */
  sum(dims?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.sum(this.#handle, dimList(dims), keepdim));
  }
  mean(dims?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.mean(this.#handle, dimList(dims), keepdim));
  }
  /** The maximum values along dim (torch.max(x, dim).values). */
  max(dim: number, keepdim = false): Tensor {
    return new Tensor(native.max(this.#handle, dim, keepdim));
  }
  argmax(dim: number, keepdim = false): Tensor {
    return new Tensor(native.argmax(this.#handle, dim, keepdim));
  }

  reshape(shape: number[]): Tensor {
    return new Tensor(native.reshape(this.#handle, shape));
  }
  view(shape: number[]): Tensor {
    return new Tensor(native.view(this.#handle, shape));
  }
  transpose(dim0: number, dim1: number): Tensor {
    return new Tensor(native.transpose(this.#handle, dim0, dim1));
  }
  permute(dims: number[]): Tensor {
    return new Tensor(native.permute(this.#handle, dims));
  }
  contiguous(): Tensor {
    return new Tensor(native.contiguous(this.#handle));
  }
  unsqueeze(dim: number): Tensor {
    return new Tensor(native.unsqueeze(this.#handle, dim));
  }
  squeeze(dim?: number): Tensor {
    return new Tensor(native.squeeze(this.#handle, dim));
  }
  expand(shape: number[]): Tensor {
    return new Tensor(native.expand(this.#handle, shape));
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return new Tensor(native.narrow(this.#handle, dim, start, length));
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    return new Tensor(native.indexSelect(this.#handle, dim, index.#handle));
  }
  gather(dim: number, index: Tensor): Tensor {
    return new Tensor(native.gather(this.#handle, dim, index.#handle));
  }

  eq(other: Operand): Tensor {
    return new Tensor(native.eq(this.#handle, operand(other)));
  }
  ne(other: Operand): Tensor {
    return new Tensor(native.ne(this.#handle, operand(other)));
  }
  lt(other: Operand): Tensor {
    return new Tensor(native.lt(this.#handle, operand(other)));
  }
  gt(other: Operand): Tensor {
    return new Tensor(native.gt(this.#handle, operand(other)));
  }
  logicalNot(): Tensor {
    return new Tensor(native.logicalNot(this.#handle));
  }
  maskedFill(mask: Tensor, value: number): Tensor {
    return new Tensor(native.maskedFill(this.#handle, mask.#handle, value));
  }
  triu(k = 0): Tensor {
    return new Tensor(native.triu(this.#handle, k));
  }
  tril(k = 0): Tensor {
    return new Tensor(native.tril(this.#handle, k));
  }

  to(dtype: DType): Tensor {
    return new Tensor(native.to(this.#handle, dtypeCode(dtype)));
  }
  clone(): Tensor {
    return new Tensor(native.clone(this.#handle));
  }
  detach(): Tensor {
    return new Tensor(native.detach(this.#handle));
  }
  item(): number {
    return native.item(this.#handle);
  }
  /** A copy of the elements, row-major, typed by dtype (bool as 0/1 bytes). */
  data(): TypedData {
    return typedView(native.data(this.#handle), this.dtype);
  }
  /** The elements, row-major, as numbers (int64 beyond 2^53 loses precision). */
  toArray(): number[] {
    return Array.from(this.data(), Number);
  }

  backward(grad?: Tensor): void {
    native.backward(this.#handle, grad === undefined ? undefined : grad.#handle);
  }
  zeroGrad_(): void {
    native.zeroGrad(this.#handle);
  }
  /** Copies src into this tensor in place, outside autograd (for loading weights). */
  copy_(src: Tensor): void {
    native.copy(this.#handle, src.#handle);
  }
  /** Frees the tensor's memory now; further use throws. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    native.dispose(this.#handle);
  }
}

function operand(value: Operand): Handle | number {
  return typeof value === 'number' ? value : handleOf(value);
}

function dimList(dims: number | number[] | undefined): number[] | undefined {
  return typeof dims === 'number' ? [dims] : dims;
}
