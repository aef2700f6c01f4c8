// What the KV caches of an isolate may hold, shared by the schedulers of every model it serves: rows
// decoding at once (a beam is a row) and the bytes their caches may grow to (each row's source plus
// its length limit, in tokens, times the model's bytes per cached token). Generations over the budget
// wait for admission; when nothing at all is decoding, one is admitted whatever its size, so that
// every generation the request limits allow can run.

export interface RowLimits {
  readonly maxRows: number;
  readonly maxCacheBytes: number;
}

export interface Reservation {
  readonly rows: number;
  readonly bytes: number;
}

export class RowBudget {
  #rows = 0;
  #bytes = 0;

  constructor(readonly limits: RowLimits) {}

  get rows(): number {
    return this.#rows;
  }

  get bytes(): number {
    return this.#bytes;
  }

  fits(need: Reservation): boolean {
    return this.#rows === 0 || (this.#rows + need.rows <= this.limits.maxRows && this.#bytes + need.bytes <= this.limits.maxCacheBytes);
  }

  /** Takes `need` if it fits; false (and nothing taken) otherwise. */
  reserve(need: Reservation): boolean {
    if (!this.fits(need)) return false;
    this.#rows += need.rows;
    this.#bytes += need.bytes;
    return true;
  }

  release(held: Reservation): void {
    this.#rows -= held.rows;
    this.#bytes -= held.bytes;
  }
}
