// Runs a model's StepScheduler from the requests themselves: a Worker has no background thread, and
// in workerd a request may only be resumed by events of its own. So each request waits for its
// generation's events on timers of its own, and once every request decoding has taken the last tick's
// events (so each stream gets each token as it is made), the request that owes the most CPU runs the
// next tick in its own context (cpu-account.ts), for the rows of every request. A tick's session
// runs settle within its task, so no request awaits a promise another settles, and a request that ends
// mid-wait leaves no tick half done. A tick's time is read at the next poll of anyone: workerd only
// moves the clock between tasks.
import type { GenerationEvent, GenerationOptions, ScheduledGeneration, StepScheduler, TickCosts } from '@attend/decoding';
import type { CpuAccount } from './cpu-account.ts';
import { nextTask } from './next-task.ts';

const QUEUED_POLL_MS = 5; // a request still waiting for admission checks less often
const STALE_POLLS = 3; // polls per decoding request without a tick before any request may run one

interface Unsettled {
  readonly started: number;
  readonly costs: TickCosts;
  readonly driver: CpuAccount;
}

export class StepDriver<Row> {
  readonly #scheduler: StepScheduler<Row>;
  #ticking = false;
  #pollsSinceTick = 0;
  /** Requests that have polled since the last tick: each has taken its events and written them. */
  readonly #polled = new Set<CpuAccount>();
  #unsettled: Unsettled | undefined;

  constructor(scheduler: StepScheduler<Row>) {
    this.#scheduler = scheduler;
  }

  /**
   * Queues `sources` now and returns its events as the ticks make them. Aborting `options.signal`
   * (read by this request only) throws its reason at the next step; a spent account ends the events
   * without `done`; `return()` cancels the generation, even before the first `next()`.
   */
  generate(sources: readonly (readonly number[])[], options: GenerationOptions, account: CpuAccount): AsyncGenerator<GenerationEvent, void, undefined> {
    const generation = this.#scheduler.submit(sources, options, account);
    return new GenerationEvents(this.#events(generation, account, options.signal), () => generation.cancel());
  }

  async *#events(generation: ScheduledGeneration<Row>, account: CpuAccount, signal: AbortSignal | undefined): AsyncGenerator<GenerationEvent, void, undefined> {
    try {
      for (;;) {
        yield* generation.drain();
        if (generation.error) throw generation.error.reason;
        if (account.spent) return; // before the signal: a spent budget ends the text, it is no failure
        signal?.throwIfAborted();
        if (generation.state === 'finished') return;
        await this.#turn(account, generation.state === 'queued');
      }
    } finally {
      generation.cancel();
    }
  }

  /**
   * Runs the next tick if it is this request's turn, then waits on a timer of its own either way: the
   * tasks between ticks are where workerd sends response bytes, delivers disconnects and starts
   * other requests.
   */
  async #turn(account: CpuAccount, queued: boolean): Promise<void> {
    this.#settle();
    this.#polled.add(account);
    if (this.#mayTick(account)) await this.#tick(account);
    else this.#pollsSinceTick++;
    await nextTask(queued ? QUEUED_POLL_MS : 0);
  }

  #mayTick(account: CpuAccount): boolean {
    if (this.#ticking || !this.#scheduler.hasWork) return false;
    const owners = this.#scheduler.owners as Set<CpuAccount>;
    if (owners.size === 0 || this.#pollsSinceTick > STALE_POLLS * owners.size) return true;
    let due: CpuAccount | undefined;
    for (const owner of owners) {
      if (!this.#polled.has(owner)) return false; // its stream has not yet taken the last tick's events
      if (!due || owner.balanceMs > due.balanceMs) due = owner;
    }
    return due === account;
  }

  async #tick(driver: CpuAccount): Promise<void> {
    this.#ticking = true;
    const started = performance.now();
    try {
      this.#unsettled = { started, costs: await this.#scheduler.tick(), driver };
    } finally {
      this.#ticking = false;
      this.#pollsSinceTick = 0;
      this.#polled.clear();
    }
  }

  /** Charges the last tick's time to the requests in it, by cost share, and to its driver as paid. */
  #settle(): void {
    if (!this.#unsettled) return;
    const { started, costs, driver } = this.#unsettled;
    this.#unsettled = undefined;
    const ms = performance.now() - started;
    let total = 0;
    for (const cost of costs.values()) total += cost;
    for (const [owner, cost] of costs) (owner as CpuAccount).charge((ms * cost) / total);
    driver.pay(ms);
  }
}

/** A generator whose `return()` also cancels its generation: a generator never started runs no `finally`. */
class GenerationEvents implements AsyncGenerator<GenerationEvent, void, undefined> {
  readonly #events: AsyncGenerator<GenerationEvent, void, undefined>;
  readonly #cancel: () => void;

  constructor(events: AsyncGenerator<GenerationEvent, void, undefined>, cancel: () => void) {
    this.#events = events;
    this.#cancel = cancel;
  }

  next(): Promise<IteratorResult<GenerationEvent, void>> {
    return this.#events.next();
  }

  return(value: void | PromiseLike<void>): Promise<IteratorResult<GenerationEvent, void>> {
    this.#cancel();
    return this.#events.return(value);
  }

  throw(error: unknown): Promise<IteratorResult<GenerationEvent, void>> {
    this.#cancel();
    return this.#events.throw(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
