import type { Usage } from '../canonical/usage.ts';
import type { ModelPrice } from './model-price.ts';

/**
 * US dollars for one answer: uncached prompt tokens at the input price, cache reads and cache
 * writes at their own prices (the writes the upstream says are kept for an hour at the one-hour
 * price), reasoning tokens at the reasoning price, the rest of the output at the output price.
 * Counts are the canonical ones (totals include their cached/reasoning parts).
 */
export function computeCost(usage: Usage, price: ModelPrice): number {
  const cacheRead = usage.input.cacheRead ?? 0;
  const cacheWrite = usage.input.cacheWrite ?? 0;
  const hourWrite = Math.min(cacheWrite, usage.input.cacheWriteByTtl?.['1h'] ?? 0);
  const writePrice = price.cacheWrite ?? price.input;
  const uncached = Math.max(0, usage.input.total - cacheRead - cacheWrite);
  const reasoning = usage.output.reasoning ?? 0;
  const visible = Math.max(0, usage.output.total - reasoning);
  const micro =
    uncached * price.input +
    cacheRead * (price.cachedInput ?? price.input) +
    (cacheWrite - hourWrite) * writePrice +
    hourWrite * (price.cacheWrite1h ?? writePrice) +
    visible * price.output +
    reasoning * (price.reasoning ?? price.output);
  return micro / 1_000_000;
}
