// A request's share of the decoder. Steps are shared by every request with rows in them, but each
// Worker request has a CPU limit of its own, and a step's CPU is billed to the request whose task runs
// it. So a request is charged its share of each step it takes part in (its rows, and its encoded
// tokens, of the step's cost), pays when it runs one, and the one that owes most runs the next: the
// CPU spreads over the requests as they share the work. Its decode budget counts what it was charged.

export class CpuAccount {
  #owedMs = 0;
  #paidMs = 0;

  constructor(readonly budgetMs: number) {}

  /** Its share of the steps it took part in. */
  get owedMs(): number {
    return this.#owedMs;
  }

  /** What it owes beyond what it ran itself. */
  get balanceMs(): number {
    return this.#owedMs - this.#paidMs;
  }

  /** The decode budget is spent: its texts end with what they have (finish_reason "length"). */
  get spent(): boolean {
    return this.#owedMs >= this.budgetMs;
  }

  charge(ms: number): void {
    this.#owedMs += ms;
  }

  pay(ms: number): void {
    this.#paidMs += ms;
  }
}
