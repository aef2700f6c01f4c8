// Continuous batching: every active generation of every request advances by one decoder run per
// step. A tick
//   1) admits queued generations while the isolate's RowBudget allows, the owner holding the fewest
//      rows first, so that a request of many sentences does not starve short ones,
//   2) encodes the admitted sources in one encoder pass: they join the batch at once,
//   3) runs one decoder step over the rows of every source, and posts each search's events to its
//      generation; sources leave at EOS or their length limit, their rows freed.
// A generation its request cancels (the client went away, the budget ran out) frees its rows at once,
// or at the end of the tick under way. A failure is the failing generation's only: when a batched run
// throws, each generation runs alone once, and those that still fail end with the error while the
// others go on.
// It schedules; it does not wait: whoever calls tick (the worker, from one request's context) paces it.
import { checkedOptions } from './generate.ts';
import type { GenerationOptions } from './options.ts';
import type { RowBudget } from './row-budget.ts';
import type { RowDecoder } from './row-decoder.ts';
import { ScheduledGeneration, type SourceTask } from './scheduled-generation.ts';
import type { LogProbs } from './scores.ts';
import { startSearch } from './search.ts';

/** Cost of encoding one source token relative to one row's decoder step (about half: no cross-attention, no output projection). */
export const ENCODED_TOKEN_COST = 0.5;

/** What a tick cost, per owner, in row-steps (ENCODED_TOKEN_COST per encoded token). */
export type TickCosts = Map<object, number>;

export class StepScheduler<Row> {
  readonly #decoder: RowDecoder<Row>;
  readonly #budget: RowBudget;
  readonly #bytesPerToken: number;
  #queued: ScheduledGeneration<Row>[] = [];
  #active: ScheduledGeneration<Row>[] = [];
  #ticking = false;

  /** `bytesPerToken`: what one token adds to a row's caches (RowBudget counts bytes). */
  constructor(decoder: RowDecoder<Row>, budget: RowBudget, bytesPerToken: number) {
    this.#decoder = decoder;
    this.#budget = budget;
    this.#bytesPerToken = bytesPerToken;
  }

  /** Queues `sources` (ids ending with EOS); throws RangeError for invalid options or sources. `options.signal` is not read: the owner cancels. */
  submit(sources: readonly (readonly number[])[], options: GenerationOptions, owner: object): ScheduledGeneration<Row> {
    const resolved = checkedOptions(sources, options);
    const tasks: SourceTask<Row>[] = sources.map((source, index) => {
      const search = startSearch(source, index, resolved);
      const { rows, cacheTokens } = search.footprint;
      return { search, source, reservation: { rows, bytes: cacheTokens * this.#bytesPerToken }, rows: [], done: false };
    });
    // A cancelled generation frees its rows and budget at once, or when the running tick ends.
    const generation = new ScheduledGeneration<Row>(owner, tasks, () => {
      if (!this.#ticking) this.#dropCancelled();
    });
    this.#queued.push(generation);
    return generation;
  }

  /** Whether a tick would do anything: rows to step, or a generation to admit. */
  get hasWork(): boolean {
    if (this.#active.length > 0) return true;
    const next = this.#fairest();
    return next !== undefined && this.#budget.fits(next.reservation);
  }

  /** Rows decoding now. */
  get rows(): number {
    return this.#active.reduce((sum, generation) => sum + generation.rows, 0);
  }

  /** Owners of the generations decoding now (not of those queued). */
  get owners(): Set<object> {
    return new Set(this.#active.map((generation) => generation.owner));
  }

  async tick(): Promise<TickCosts> {
    const costs: TickCosts = new Map();
    this.#ticking = true;
    try {
      const admitted = this.#admit();
      if (admitted.length > 0) await this.#encode(admitted, costs);
      const stepping = this.#active.filter((g) => g.state === 'active');
      if (stepping.length > 0) await this.#step(stepping, costs);
    } finally {
      this.#ticking = false;
    }
    this.#dropCancelled(); // those cancelled while it ran, and those that finished
    return costs;
  }

  #dropCancelled(): void {
    for (const generation of this.#queued.filter((g) => g.cancelled)) generation.finish(); // it holds nothing yet
    this.#queued = this.#queued.filter((g) => !g.cancelled);
    for (const generation of this.#active.filter((g) => g.cancelled)) this.#end(generation);
    this.#active = this.#active.filter((g) => g.state === 'active');
  }

  /** Step 1). */
  #admit(): ScheduledGeneration<Row>[] {
    const admitted: ScheduledGeneration<Row>[] = [];
    for (;;) {
      const next = this.#fairest();
      if (!next || !this.#budget.reserve(next.reservation)) return admitted;
      this.#queued.splice(this.#queued.indexOf(next), 1);
      next.activate();
      this.#active.push(next);
      admitted.push(next);
    }
  }

  /** The queued generation whose owner holds the fewest rows (then the oldest). */
  #fairest(): ScheduledGeneration<Row> | undefined {
    const held = new Map<object, number>();
    for (const generation of this.#active) held.set(generation.owner, (held.get(generation.owner) ?? 0) + generation.reservation.rows);
    let best: ScheduledGeneration<Row> | undefined;
    for (const generation of this.#queued) if (!best || (held.get(generation.owner) ?? 0) < (held.get(best.owner) ?? 0)) best = generation;
    return best;
  }

  /** Step 2), for all admitted generations at once; alone when that fails. */
  async #encode(generations: readonly ScheduledGeneration<Row>[], costs: TickCosts): Promise<void> {
    const encodeAll = async (group: readonly ScheduledGeneration<Row>[]) => {
      const tasks = group.flatMap((g) => g.tasks);
      const rows = await this.#decoder.encode(tasks.map((task) => task.source));
      tasks.forEach((task, i) => (task.rows = [rows[i]!]));
    };
    await this.#isolated(generations, encodeAll);
    for (const generation of generations) {
      if (generation.state !== 'active') continue;
      const tokens = generation.tasks.reduce((sum, task) => sum + task.source.length, 0);
      charge(costs, generation.owner, tokens * ENCODED_TOKEN_COST);
    }
  }

  /** Step 3). */
  async #step(generations: readonly ScheduledGeneration<Row>[], costs: TickCosts): Promise<void> {
    const logProbs = new Map<ScheduledGeneration<Row>, LogProbs>();
    await this.#isolated(generations, async (group) => {
      const tasks = group.flatMap((g) => g.tasks.filter((task) => !task.done));
      const scores = await this.#decoder.step(tasks.flatMap((task) => task.rows), tasks.flatMap((task) => task.search.tokens));
      const vocab = scores.length / tasks.reduce((sum, task) => sum + task.rows.length, 0);
      let row = 0;
      for (const generation of group) {
        const rows = generation.rows;
        logProbs.set(generation, scores.subarray(row * vocab, (row + rows) * vocab));
        row += rows;
      }
    });
    for (const [generation, scores] of logProbs) {
      charge(costs, generation.owner, generation.rows);
      try {
        this.#advance(generation, scores);
      } catch (error) {
        this.#end(generation, error);
      }
    }
  }

  /** Hands each source its rows' scores; keeps the rows its search continues, forking a row that two beams continue. */
  #advance(generation: ScheduledGeneration<Row>, scores: LogProbs): void {
    const vocab = scores.length / generation.rows;
    let row = 0;
    for (const task of generation.tasks.filter((t) => !t.done)) {
      const rows = task.rows.length;
      const { events, parents } = task.search.advance(scores.subarray(row * vocab, (row + rows) * vocab));
      row += rows;
      const taken = new Set<number>();
      const next = parents.map((parent) => (taken.has(parent) ? this.#decoder.fork(task.rows[parent]!) : (taken.add(parent), task.rows[parent]!)));
      task.rows.forEach((r, i) => taken.has(i) || this.#decoder.release(r));
      task.rows = next;
      if (parents.length === 0) this.#close(task);
      generation.post(events);
    }
  }

  /** Runs `work` on all generations together; if it throws, on each alone, ending those that still fail. */
  async #isolated(generations: readonly ScheduledGeneration<Row>[], work: (group: readonly ScheduledGeneration<Row>[]) => Promise<void>): Promise<void> {
    try {
      await work(generations);
    } catch (error) {
      if (generations.length === 1) return this.#end(generations[0]!, error);
      for (const generation of generations) await work([generation]).catch((alone: unknown) => this.#end(generation, alone));
    }
  }

  #close(task: SourceTask<Row>): void {
    if (task.done) return;
    task.done = true;
    for (const row of task.rows) this.#decoder.release(row);
    task.rows = [];
    this.#budget.release(task.reservation);
  }

  /** Frees everything a generation holds; with `error`, it ends with that failure. */
  #end(generation: ScheduledGeneration<Row>, ...error: [] | [unknown]): void {
    for (const task of generation.tasks) this.#close(task);
    if (error.length === 1) generation.fail(error[0]);
    else generation.finish();
  }
}

function charge(costs: TickCosts, owner: object, amount: number): void {
  costs.set(owner, (costs.get(owner) ?? 0) + amount);
}
