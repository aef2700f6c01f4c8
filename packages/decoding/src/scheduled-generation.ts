// One request's generation inside the scheduler: its sources' searches, the rows they hold, and a
// mailbox of events that the scheduler fills at each step and the request empties on its own turn.
// Only plain data crosses between requests: the scheduler never calls into a request nor touches its
// I/O objects (in workerd, even reading another request's AbortSignal fails), so a request watches its
// own signal and cancels.
import type { Reservation } from './row-budget.ts';
import type { SourceSearch } from './search.ts';
import type { GenerationEvent } from './translation.ts';

/** A source being decoded: its search and the rows that hold its caches, in `search.tokens` order. */
export interface SourceTask<Row> {
  readonly search: SourceSearch;
  readonly source: readonly number[];
  readonly reservation: Reservation;
  rows: Row[];
  done: boolean;
}

export type GenerationState = 'queued' | 'active' | 'finished';

export class ScheduledGeneration<Row = unknown> {
  readonly #events: GenerationEvent[] = [];
  #state: GenerationState = 'queued';
  #error: { readonly reason: unknown } | undefined;
  #cancelled = false;

  constructor(
    /** Whose generation this is (the request): admission is fair between owners, and costs are theirs. */
    readonly owner: object,
    readonly tasks: readonly SourceTask<Row>[],
    private readonly onCancel: () => void,
  ) {}

  get state(): GenerationState {
    return this.#state;
  }

  /** The failure that ended it, if one did. */
  get error(): { readonly reason: unknown } | undefined {
    return this.#error;
  }

  /** Cancelled by its request: it holds nothing once no tick is running. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** The events since the last drain, in order. */
  drain(): GenerationEvent[] {
    return this.#events.splice(0);
  }

  cancel(): void {
    if (this.#cancelled || this.#state === 'finished') return;
    this.#cancelled = true;
    this.onCancel();
  }

  /** Rows it holds now. */
  get rows(): number {
    return this.tasks.reduce((sum, task) => sum + task.rows.length, 0);
  }

  /** What admission reserves for it: every source's rows and cache bytes. */
  get reservation(): Reservation {
    return this.tasks.reduce((sum, task) => ({ rows: sum.rows + task.reservation.rows, bytes: sum.bytes + task.reservation.bytes }), { rows: 0, bytes: 0 });
  }

  activate(): void {
    this.#state = 'active';
  }

  post(events: readonly GenerationEvent[]): void {
    this.#events.push(...events);
    if (this.tasks.every((task) => task.done)) this.#state = 'finished';
  }

  fail(reason: unknown): void {
    this.#error = { reason };
    this.#state = 'finished';
  }

  finish(): void {
    this.#state = 'finished';
  }
}
