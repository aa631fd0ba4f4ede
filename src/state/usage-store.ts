import type { UsageRecord } from './usage-record.ts';

export const USAGE_GROUPINGS = ['key', 'model', 'provider', 'day'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

export interface UsageQuery {
  by: UsageGrouping;
  /** Epoch ms; records at or after it. */
  since?: number;
}

/** One line of a usage summary. */
export interface UsageSummaryRow {
  /** The key name, requested model, provider or UTC day (YYYY-MM-DD); '' when the record had none. */
  group: string;
  requests: number;
  errors: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  /** Records in the group that had no price. */
  unpriced: number;
}

/** Usage records. Implemented by SQLite (embedded) and again by the shared stores. */
export interface UsageStore {
  /** Writes a batch in one transaction. */
  append(records: readonly UsageRecord[]): Promise<void>;
  summarize(query: UsageQuery): Promise<UsageSummaryRow[]>;
  /** Dollars spent since `since` (epoch ms), by one key or, without a name, by everyone. */
  spend(since: number, keyName?: string): Promise<number>;
  /** Dollars spent since `since`, per key name. */
  spendByKey(since: number): Promise<Map<string, number>>;
  /** Newest first. */
  recent(limit: number, since?: number): Promise<UsageRecord[]>;
  count(): Promise<number>;
}
