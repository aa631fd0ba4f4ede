import type { UsageGrouping, UsageSummaryRow } from '../state/usage-store.ts';

const GROUP_TITLE: Record<UsageGrouping, string> = { key: 'KEY', model: 'MODEL', provider: 'PROVIDER', day: 'DAY' };

/** Summary rows as table cells, with a total line; counts with thousands separators, dollars to the cent (or finer when small). */
export function usageTableRows(by: UsageGrouping, rows: readonly UsageSummaryRow[]): { header: string[]; rows: string[][] } {
  const header = [GROUP_TITLE[by], 'REQUESTS', 'ERRORS', 'INPUT', 'CACHED', 'OUTPUT', 'REASONING', 'COST'];
  const cells = rows.map((row) => [row.group === '' ? '(none)' : row.group, ...numbers(row)]);
  if (rows.length > 1) {
    const total: UsageSummaryRow = { group: 'total', requests: 0, errors: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0, unpriced: 0 };
    for (const row of rows) {
      total.requests += row.requests;
      total.errors += row.errors;
      total.inputTokens += row.inputTokens;
      total.cachedInputTokens += row.cachedInputTokens;
      total.outputTokens += row.outputTokens;
      total.reasoningTokens += row.reasoningTokens;
      total.costUsd += row.costUsd;
      total.unpriced += row.unpriced;
    }
    cells.push(['total', ...numbers(total)]);
  }
  return { header, rows: cells };
}

function numbers(row: UsageSummaryRow): string[] {
  const count = (value: number): string => value.toLocaleString('en-US');
  const unpriced = row.unpriced > 0 ? ` (+${row.unpriced} unpriced)` : '';
  return [count(row.requests), count(row.errors), count(row.inputTokens), count(row.cachedInputTokens), count(row.outputTokens), count(row.reasoningTokens), `${formatUsd(row.costUsd)}${unpriced}`];
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(2)}`;
}
