// The padded cache tensors of the serving decoder's runs, kept from one step to the next. A run's
// self-attention feed holds every row's keys and values so far, [rows, cache_length, d_model]; when
// the next step runs the same rows, only the slot each row filled last step is new, so only that slot
// is written (and the cross-attention feed, fixed per row, not at all), instead of allocating and
// copying every row's whole cache again. Slots past a row's position keep whatever was there: the
// graph masks them, and a masked key weighs exactly 0 whatever its value (finite).

export interface CachedRow {
  readonly sourceLength: number;
  readonly cross: readonly Float32Array[]; // per cache tensor: [sourceLength, d]
  readonly self: readonly Float32Array[]; // per cache tensor: [capacity, d], slots 0..position-1
  readonly position: number;
}

export class CacheFeeds {
  #rows: readonly CachedRow[] = [];
  #positions: readonly number[] = [];
  #cacheLength = 0;
  #sourceLength = 0;
  #self: Float32Array[] = [];
  #cross: Float32Array[] = [];

  constructor(
    private readonly d: number,
    private readonly tensors: number,
  ) {}

  /** The self- and cross-attention feeds (per cache tensor) for `rows`, padded to the given lengths. */
  fill(rows: readonly CachedRow[], cacheLength: number, sourceLength: number): { self: Float32Array[]; cross: Float32Array[] } {
    const stepped = rows.length === this.#rows.length && rows.every((row, b) => row === this.#rows[b] && row.position === this.#positions[b]! + 1);
    if (!stepped || sourceLength !== this.#sourceLength) this.#cross = this.#gather(rows, sourceLength, (row, k) => row.cross[k]!, this.#cross);
    if (stepped && cacheLength === this.#cacheLength) this.#writeNewest(rows, cacheLength);
    else this.#self = this.#gather(rows, cacheLength, (row, k) => row.self[k]!.subarray(0, row.position * this.d), this.#self);
    this.#rows = [...rows];
    this.#positions = rows.map((row) => row.position);
    this.#cacheLength = cacheLength;
    this.#sourceLength = sourceLength;
    return { self: this.#self, cross: this.#cross };
  }

  /** Each row's block at a stride of `length` slots, in buffers reused when large enough. */
  #gather(rows: readonly CachedRow[], length: number, block: (row: CachedRow, k: number) => Float32Array, old: Float32Array[]): Float32Array[] {
    const size = rows.length * length * this.d;
    return Array.from({ length: this.tensors }, (_, k) => {
      const buffer = old[k] && old[k].buffer.byteLength >= size * 4 ? new Float32Array(old[k].buffer, 0, size) : new Float32Array(size);
      rows.forEach((row, b) => buffer.set(block(row, k), b * length * this.d));
      return buffer;
    });
  }

  /** The slot each row filled at the step before: position - 1. */
  #writeNewest(rows: readonly CachedRow[], cacheLength: number): void {
    const d = this.d;
    rows.forEach((row, b) => {
      const slot = row.position - 1;
      for (let k = 0; k < this.tensors; k++) this.#self[k]!.set(row.self[k]!.subarray(slot * d, (slot + 1) * d), (b * cacheLength + slot) * d);
    });
  }
}
