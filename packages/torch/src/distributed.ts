// torch.distributed for data-parallel training: a process group over libtorch's c10d (a TCPStore that
// rank 0 serves, ProcessGroupGloo over it), as PyTorch's init_process_group('gloo', 'tcp://...') makes.
// Every call blocks until all ranks have made it, or throws when a rank is gone or a timeout passes.
import { native, type GroupHandle } from './native.ts';
import { handleOf, type Tensor } from './tensor.ts';

export interface ProcessGroupOptions {
  readonly masterAddr: string; // host of rank 0, which serves the rendezvous store
  readonly masterPort: number;
  readonly rank: number; // 0 .. worldSize - 1
  readonly worldSize: number;
  readonly connectTimeoutMs?: number; // every rank must join within it (default 300 s, c10d's store default)
  readonly timeoutMs?: number; // each later collective and store read (default 30 min, PyTorch's)
}

const CONNECT_TIMEOUT_MS = 300_000;
const TIMEOUT_MS = 30 * 60_000;

/** A key-value store every rank of the group reads and writes (c10d::TCPStore). */
export interface Store {
  set(key: string, value: string): void;
  /** Waits until some rank has set the key. */
  get(key: string): string;
}

export class ProcessGroup {
  readonly rank: number;
  readonly worldSize: number;
  readonly store: Store;
  readonly #handle: GroupHandle;
  #closed = false;

  /** Joins the group: blocks until all worldSize ranks have joined, or throws after connectTimeoutMs. */
  constructor(options: ProcessGroupOptions) {
    this.rank = options.rank;
    this.worldSize = options.worldSize;
    const handle = native.groupNew(
      options.masterAddr,
      options.masterPort,
      options.rank,
      options.worldSize,
      options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      options.timeoutMs ?? TIMEOUT_MS,
    );
    this.#handle = handle;
    this.store = {
      set: (key, value) => native.groupStoreSet(handle, key, new TextEncoder().encode(value)),
      get: (key) => new TextDecoder().decode(native.groupStoreGet(handle, key)),
    };
  }

  /** Replaces every tensor, on every rank, by its sum over the ranks (one collective for the whole list). */
  allReduceSum(tensors: readonly Tensor[]): void {
    this.#collective('allReduceSum', () => native.groupAllReduceSum(this.#handle, tensors.map(handleOf)));
  }

  /** Copies root's tensors into every other rank's (same shapes and dtype on every rank). */
  broadcast(tensors: readonly Tensor[], root = 0): void {
    this.#collective('broadcast', () => native.groupBroadcast(this.#handle, tensors.map(handleOf), root));
  }

  barrier(): void {
    this.#collective('barrier', () => native.groupBarrier(this.#handle));
  }

  /** Leaves the group; rank 0 stops serving the store, so it closes last (after a barrier). */
  close(): void {
    this.#closed = true;
    native.groupClose(this.#handle);
  }

  // Gloo reports a lost peer as a socket error ("Connection closed by peer", a timeout): say what it means.
  #collective(name: string, run: () => void): void {
    if (this.#closed) throw new Error(`${name}: the process group was closed`);
    try {
      run();
    } catch (error) {
      throw new Error(`${name} on rank ${this.rank} of ${this.worldSize} failed: a rank has stopped or cannot be reached (${(error as Error).message})`, { cause: error });
    }
  }
}
