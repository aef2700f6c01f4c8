// Order statistics and the printed table of the serving benchmark.

/** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** On a shared machine noise only adds time (preemption), so the fastest sample is the cost itself. */
export const fastest = (samples: readonly number[]): number => percentile(samples, 0);

/** Rounds for printing and for the JSON line: 3 significant digits are all a shared machine gives. */
export function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(3)) : value;
}

export const mib = (bytes: number): number => round(bytes / 2 ** 20);

/** Rows of [label, value, note] as an aligned text table. */
export function formatTable(rows: readonly (readonly [string, string | number, string?])[]): string {
  const cells = rows.map(([label, value, note]) => [label, typeof value === 'number' ? String(round(value)) : value, note ?? '']);
  const widths = [0, 1].map((c) => Math.max(...cells.map((row) => row[c]!.length)));
  return cells.map(([label, value, note]) => `${label!.padEnd(widths[0]!)}  ${value!.padStart(widths[1]!)}  ${note}`.trimEnd()).join('\n');
}
