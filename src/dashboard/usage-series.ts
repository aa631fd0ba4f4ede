/** The fields of a usage record that the overview charts read (a `UsageRecord` has them all). */
export interface SeriesRecord {
  /** Epoch ms when the request arrived. */
  time: number;
  keyName?: string | undefined;
  requestedModel?: string | undefined;
  provider?: string | undefined;
  status: number;
  inputTokens: number;
  outputTokens: number;
  ttftMs?: number | undefined;
  totalMs: number;
  costUsd?: number | undefined;
}

export const SERIES_RANGES = { hour: { spanMs: 3_600_000, buckets: 60 }, day: { spanMs: 86_400_000, buckets: 48 }, month: { spanMs: 30 * 86_400_000, buckets: 30 } } as const;
export type SeriesRange = keyof typeof SERIES_RANGES;

export interface SeriesFilter {
  key?: string | undefined;
  model?: string | undefined;
  provider?: string | undefined;
}

export interface SeriesPoint {
  /** Epoch ms where the bucket starts. */
  start: number;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: Percentiles | null;
  ttftMs: Percentiles | null;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface UsageSeries {
  range: SeriesRange;
  from: number;
  to: number;
  bucketMs: number;
  points: SeriesPoint[];
  totals: Omit<SeriesPoint, 'start'> & { unpriced: number };
  /** Every key, model and provider seen in the range, for the filters. */
  choices: { keys: string[]; models: string[]; providers: string[] };
}

/**
 * Usage records → equal time buckets over the range ending at `now`: requests, errors (status
 * 400 and up), tokens, cost, and latency and time-to-first-token percentiles (nearest rank).
 */
export function usageSeries(records: Iterable<SeriesRecord>, range: SeriesRange, filter: SeriesFilter, now: number): UsageSeries {
  const { spanMs, buckets } = SERIES_RANGES[range];
  const bucketMs = spanMs / buckets;
  const to = Math.ceil(now / bucketMs) * bucketMs;
  const from = to - spanMs;
  const slots = Array.from({ length: buckets }, (_, index) => ({ start: from + index * bucketMs, rows: [] as SeriesRecord[] }));
  const all: SeriesRecord[] = [];
  const keys = new Set<string>();
  const models = new Set<string>();
  const providers = new Set<string>();
  for (const record of records) {
    if (record.time < from || record.time >= to) continue;
    if (record.keyName) keys.add(record.keyName);
    if (record.requestedModel) models.add(record.requestedModel);
    if (record.provider) providers.add(record.provider);
    if (filter.key !== undefined && record.keyName !== filter.key) continue;
    if (filter.model !== undefined && record.requestedModel !== filter.model) continue;
    if (filter.provider !== undefined && record.provider !== filter.provider) continue;
    slots[Math.floor((record.time - from) / bucketMs)]?.rows.push(record);
    all.push(record);
  }
  const sorted = (values: Set<string>): string[] => [...values].sort();
  return {
    range,
    from,
    to,
    bucketMs,
    points: slots.map((slot) => ({ start: slot.start, ...summarize(slot.rows) })),
    totals: { ...summarize(all), unpriced: all.filter((record) => record.costUsd === undefined).length },
    choices: { keys: sorted(keys), models: sorted(models), providers: sorted(providers) },
  };
}

function summarize(rows: readonly SeriesRecord[]): Omit<SeriesPoint, 'start'> {
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let errors = 0;
  for (const row of rows) {
    inputTokens += row.inputTokens;
    outputTokens += row.outputTokens;
    costUsd += row.costUsd ?? 0;
    if (row.status >= 400) errors++;
  }
  const ttfts = rows.flatMap((row) => (row.ttftMs === undefined ? [] : [row.ttftMs]));
  return { requests: rows.length, errors, inputTokens, outputTokens, costUsd, latencyMs: percentiles(rows.map((row) => row.totalMs)), ttftMs: percentiles(ttfts) };
}

function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: rank(50), p95: rank(95), p99: rank(99) };
}
