import { loadGatewayConfig } from '../config/load-gateway-config.ts';
import { openStateStore } from '../state/open-state-store.ts';
import { USAGE_GROUPINGS, type UsageGrouping } from '../state/usage-store.ts';
import { usageTableRows } from '../usage/format-usage-table.ts';
import { parseSince } from '../usage/parse-since.ts';
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';
import { formatTable } from './format-table.ts';

export interface UsageFlags {
  config?: string;
  by?: string;
  since?: string;
  json?: boolean;
}

/** `llmux usage [--by key|model|provider|day] [--since 7d]`: requests, tokens and spend from the usage records. */
export async function usageCommand(flags: UsageFlags, context: CliContext): Promise<void> {
  const by = USAGE_GROUPINGS.find((grouping) => grouping === (flags.by ?? 'key'));
  if (by === undefined) throw new CliFailure(`--by: expected one of ${USAGE_GROUPINGS.join(', ')}`);
  const sinceText = flags.since ?? '30d';
  const since = parseSince(sinceText);
  if (since === undefined) throw new CliFailure("--since: expected a span like 7d, 24h, 30m, 2w or a date like 2026-01-01");
  const loaded = await loadGatewayConfig({ ...(flags.config === undefined ? {} : { configPath: flags.config }), environment: context.environment, cwd: context.cwd });
  const state = await openStateStore(loaded.config, context.cwd).catch((error: unknown) => {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  });
  try {
    const rows = await state.usage.summarize({ by: by as UsageGrouping, since });
    if (flags.json === true) {
      context.print(JSON.stringify({ by, since: new Date(since).toISOString(), rows }, null, 2));
      return;
    }
    if (rows.length === 0) {
      context.notice(`llmux: no requests recorded since ${new Date(since).toISOString().slice(0, 16).replace('T', ' ')} UTC (${state.location})`);
      return;
    }
    const table = usageTableRows(by, rows);
    context.print(formatTable(table.header, table.rows));
  } finally {
    await state.close();
  }
}
