import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { UsageRecord } from '../usage-record.ts';
import type { UsageGrouping, UsageQuery, UsageStore, UsageSummaryRow } from '../usage-store.ts';

const GROUP_COLUMN: Record<UsageGrouping, string> = {
  key: "COALESCE(key_name, '')",
  model: "COALESCE(requested_model, '')",
  provider: "COALESCE(provider, '')",
  day: "strftime('%Y-%m-%d', time / 1000, 'unixepoch')",
};

interface RecordRow {
  time: number;
  request_id: string;
  key_name: string | null;
  protocol: string;
  route: string;
  requested_model: string | null;
  provider: string | null;
  upstream_model: string | null;
  attempts: number;
  status: number;
  result: string;
  streamed: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  ttft_ms: number | null;
  total_ms: number;
  cost_usd: number | null;
}

/** Rows per INSERT statement: one call into SQLite per this many records. */
const ROWS_PER_INSERT = 64;
const INSERT_PREFIX = `INSERT INTO usage_records (time, request_id, key_name, protocol, route, requested_model, provider, upstream_model, attempts, status,
  result, streamed, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, ttft_ms, total_ms, cost_usd) VALUES `;
const COLUMNS = 20;
const ROW_PLACEHOLDERS = `(${new Array(COLUMNS).fill('?').join(', ')})`;

/** Usage records in SQLite: a batch is one transaction of multi-row INSERTs (64 rows per statement, bound from one reused array). */
export class SqliteUsageStore implements UsageStore {
  private readonly db: DatabaseSync;
  private readonly insertOne: StatementSync;
  private readonly insertMany: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.insertOne = db.prepare(INSERT_PREFIX + ROW_PLACEHOLDERS);
    this.insertMany = db.prepare(INSERT_PREFIX + new Array(ROWS_PER_INSERT).fill(ROW_PLACEHOLDERS).join(', '));
  }

  async append(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      let index = 0;
      const values = new Array<string | number | null>(ROWS_PER_INSERT * COLUMNS);
      for (; index + ROWS_PER_INSERT <= records.length; index += ROWS_PER_INSERT) {
        for (let row = 0; row < ROWS_PER_INSERT; row++) putRow(values, row * COLUMNS, records[index + row] as UsageRecord);
        this.insertMany.run(...values);
      }
      const one = new Array<string | number | null>(COLUMNS);
      for (; index < records.length; index++) {
        putRow(one, 0, records[index] as UsageRecord);
        this.insertOne.run(...one);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async summarize(query: UsageQuery): Promise<UsageSummaryRow[]> {
    const group = GROUP_COLUMN[query.by];
    const rows = this.db
      .prepare(
        `SELECT ${group} AS "group", COUNT(*) AS requests, SUM(status >= 400) AS errors,
           SUM(input_tokens) AS inputTokens, SUM(cached_input_tokens) AS cachedInputTokens,
           SUM(output_tokens) AS outputTokens, SUM(reasoning_tokens) AS reasoningTokens,
           COALESCE(SUM(cost_usd), 0) AS costUsd, SUM(cost_usd IS NULL AND (input_tokens > 0 OR output_tokens > 0)) AS unpriced
         FROM usage_records WHERE time >= ? GROUP BY 1 ORDER BY ${query.by === 'day' ? '1' : 'costUsd DESC, requests DESC, 1'}`,
      )
      .all(query.since ?? 0) as unknown as UsageSummaryRow[];
    return rows.map((row) => ({ ...row }));
  }

  async spend(since: number, keyName?: string): Promise<number> {
    const row = (
      keyName === undefined
        ? this.db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS spend FROM usage_records WHERE time >= ?').get(since)
        : this.db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS spend FROM usage_records WHERE key_name = ? AND time >= ?').get(keyName, since)
    ) as { spend: number };
    return row.spend;
  }

  async spendByKey(since: number): Promise<Map<string, number>> {
    const rows = this.db
      .prepare('SELECT key_name AS name, SUM(cost_usd) AS spend FROM usage_records WHERE time >= ? AND key_name IS NOT NULL AND cost_usd IS NOT NULL GROUP BY key_name')
      .all(since) as unknown as { name: string; spend: number }[];
    return new Map(rows.map((row) => [row.name, row.spend]));
  }

  async recent(limit: number, since = 0): Promise<UsageRecord[]> {
    const rows = this.db.prepare('SELECT * FROM usage_records WHERE time >= ? ORDER BY time DESC, id DESC LIMIT ?').all(since, limit) as unknown as RecordRow[];
    return rows.map(fromRow);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM usage_records').get() as { n: number }).n;
  }
}

function fromRow(row: RecordRow): UsageRecord {
  const record: UsageRecord = {
    time: row.time,
    requestId: row.request_id,
    protocol: row.protocol,
    route: row.route,
    attempts: row.attempts,
    status: row.status,
    result: row.result,
    streamed: row.streamed === 1,
    inputTokens: row.input_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    outputTokens: row.output_tokens,
    reasoningTokens: row.reasoning_tokens,
    totalMs: row.total_ms,
  };
  if (row.key_name !== null) record.keyName = row.key_name;
  if (row.requested_model !== null) record.requestedModel = row.requested_model;
  if (row.provider !== null) record.provider = row.provider;
  if (row.upstream_model !== null) record.upstreamModel = row.upstream_model;
  if (row.ttft_ms !== null) record.ttftMs = row.ttft_ms;
  if (row.cost_usd !== null) record.costUsd = row.cost_usd;
  return record;
}

/** Writes a record's columns, in INSERT_PREFIX's order, into `values` from `at` on. */
function putRow(values: (string | number | null)[], at: number, r: UsageRecord): void {
  values[at] = r.time;
  values[at + 1] = r.requestId;
  values[at + 2] = r.keyName ?? null;
  values[at + 3] = r.protocol;
  values[at + 4] = r.route;
  values[at + 5] = r.requestedModel ?? null;
  values[at + 6] = r.provider ?? null;
  values[at + 7] = r.upstreamModel ?? null;
  values[at + 8] = r.attempts;
  values[at + 9] = r.status;
  values[at + 10] = r.result;
  values[at + 11] = r.streamed ? 1 : 0;
  values[at + 12] = r.inputTokens;
  values[at + 13] = r.cachedInputTokens;
  values[at + 14] = r.cacheWriteTokens;
  values[at + 15] = r.outputTokens;
  values[at + 16] = r.reasoningTokens;
  values[at + 17] = r.ttftMs ?? null;
  values[at + 18] = r.totalMs;
  values[at + 19] = r.costUsd ?? null;
}
