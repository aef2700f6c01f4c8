/**
 * (left id, right id) -> merge rank, as an open-addressing hash table on typed arrays: encoding looks
 * a pair up for every adjacent pair on every merge round, and a Map<number, number> costs several
 * times more per lookup. Ids must be below 65535 so that a pair packs into one 32-bit key.
 */
export const MAX_PAIR_ID = 0xfffe;

const EMPTY = -1; // the key of (0xffff, 0xffff), which no pair of valid ids produces

export class PairRanks {
  private readonly keys: Int32Array;
  private readonly ranks: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(capacity: number) {
    let bits = 4;
    while (1 << bits < 2 * capacity) bits++; // load factor <= 1/2 keeps linear probes short
    this.keys = new Int32Array(1 << bits).fill(EMPTY);
    this.ranks = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
  }

  /** Sets the rank of a pair, replacing an earlier one. */
  set(left: number, right: number, rank: number): void {
    const key = (left << 16) | right;
    let slot = this.slot(key);
    while (this.keys[slot] !== EMPTY && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.ranks[slot] = rank;
  }

  /** The rank of a pair, or -1 when no merge joins it. */
  get(left: number, right: number): number {
    const key = (left << 16) | right;
    for (let slot = this.slot(key); ; slot = (slot + 1) & this.mask) {
      const found = this.keys[slot] as number;
      if (found === key) return this.ranks[slot] as number;
      if (found === EMPTY) return -1;
    }
  }

  private slot(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift; // Fibonacci hashing: the top bits of key * 2^32/phi
  }
}
