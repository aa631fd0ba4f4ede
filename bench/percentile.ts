/** Nearest-rank percentile of values sorted ascending; NaN when there are none. */
export function percentile(sortedAscending: readonly number[], fraction: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1] as number;
}

/** The median of unsorted values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 === 1 ? (finite[middle] as number) : ((finite[middle - 1] as number) + (finite[middle] as number)) / 2;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
}

/** p50/p90/p99 of samples; sorts the array in place. */
export function summarizeLatencies(samples: number[]): LatencySummary {
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p90: percentile(samples, 0.9), p99: percentile(samples, 0.99) };
}

/** The median over rounds of `combine(a[i], b[i])`: pairs measured in the same round. */
export function pairedMedian<T>(a: readonly T[], b: readonly T[], combine: (a: T, b: T) => number): number {
  const count = Math.min(a.length, b.length);
  return median(Array.from({ length: count }, (_, index) => combine(a[index] as T, b[index] as T)));
}

/** The interquartile range (p25 – p75) of unsorted values, for showing the spread over rounds. */
export function interquartileRange(values: readonly number[]): { low: number; high: number } {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  return { low: percentile(finite, 0.25), high: percentile(finite, 0.75) };
}
