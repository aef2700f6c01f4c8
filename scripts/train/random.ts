// Seeds for reproducible runs: a PRNG (mulberry32) for the batch order, which must follow from (seed, pool
// index) alone so that a resumed run sees exactly the batches the killed run would have seen, and the
// seed of each micro-batch's dropout masks.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * The seed of libtorch's generator before one micro-batch: dropout masks then depend on (seed, step,
 * micro-batch) alone, whichever rank trains it and however often the run was resumed. Distinct for
 * micro-batch indices below 4096 (accumulate x ranks), exact in a double for |seed| < 2^21.
 */
export function microBatchSeed(seed: number, step: number, micro: number): number {
  return (seed * 1_000_003 + step) * 4096 + micro;
}
