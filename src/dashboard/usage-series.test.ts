import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usageSeries, type SeriesRecord } from './usage-series.ts';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const record = (minutesAgo: number, fields: Partial<SeriesRecord> = {}): SeriesRecord => ({
  time: now - minutesAgo * 60_000 - 1,
  status: 200,
  inputTokens: 10,
  outputTokens: 5,
  totalMs: 100,
  ...fields,
});

describe('usage series for the overview charts', () => {
  it('puts records in minute buckets over the last hour and sums them', () => {
    const records = [record(0, { costUsd: 0.5, keyName: 'a' }), record(0, { status: 502, totalMs: 300, keyName: 'b' }), record(30, { ttftMs: 40, requestedModel: 'm' }), record(61)];
    const series = usageSeries(records, 'hour', {}, now);
    assert.equal(series.points.length, 60);
    assert.equal(series.to - series.from, HOUR);
    const last = series.points.at(-1);
    assert.deepEqual([last?.requests, last?.errors, last?.inputTokens, last?.costUsd], [2, 1, 20, 0.5]);
    assert.deepEqual(last?.latencyMs, { p50: 100, p95: 300, p99: 300 });
    assert.equal(last?.ttftMs, null);
    assert.deepEqual(series.points[29]?.ttftMs, { p50: 40, p95: 40, p99: 40 });
    assert.deepEqual([series.totals.requests, series.totals.errors, series.totals.unpriced], [3, 1, 2], 'the record older than an hour is left out');
    assert.deepEqual(series.choices, { keys: ['a', 'b'], models: ['m'], providers: [] });
  });

  it('filters by key, model and provider but still offers every choice', () => {
    const records = [record(1, { keyName: 'a', provider: 'p1' }), record(1, { keyName: 'b', provider: 'p2' }), record(2, { keyName: 'a', provider: 'p2' })];
    const series = usageSeries(records, 'day', { key: 'a', provider: 'p2' }, now);
    assert.equal(series.points.length, 48);
    assert.equal(series.totals.requests, 1);
    assert.deepEqual(series.choices.providers, ['p1', 'p2']);
  });

  it('takes nearest-rank percentiles', () => {
    const records = Array.from({ length: 100 }, (_, index) => record(5, { totalMs: index + 1 }));
    assert.deepEqual(usageSeries(records, 'month', {}, now).totals.latencyMs, { p50: 50, p95: 95, p99: 99 });
  });
});
