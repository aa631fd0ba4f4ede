import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { UsageRecord } from '../state/usage-record.ts';

/** The usage record of one request outcome; `costUsd` as priced by the caller. */
export function usageRecordFromOutcome(outcome: RequestOutcome, costUsd: number | undefined): UsageRecord {
  const usage = outcome.usage;
  const record: UsageRecord = {
    time: outcome.startedAt,
    requestId: outcome.requestId,
    protocol: outcome.protocol,
    route: outcome.route,
    attempts: outcome.attempts.length,
    status: outcome.status,
    result: outcome.result,
    streamed: outcome.streamed,
    inputTokens: usage?.input.total ?? 0,
    cachedInputTokens: usage?.input.cacheRead ?? 0,
    cacheWriteTokens: usage?.input.cacheWrite ?? 0,
    outputTokens: usage?.output.total ?? 0,
    reasoningTokens: usage?.output.reasoning ?? 0,
    totalMs: Math.round(outcome.totalMs * 100) / 100,
  };
  if (outcome.keyName !== undefined) record.keyName = outcome.keyName;
  if (outcome.requestedModel !== undefined) record.requestedModel = outcome.requestedModel;
  if (outcome.provider !== undefined) record.provider = outcome.provider;
  if (outcome.upstreamModel !== undefined) record.upstreamModel = outcome.upstreamModel;
  if (outcome.ttftMs !== undefined) record.ttftMs = Math.round(outcome.ttftMs * 100) / 100;
  if (costUsd !== undefined) record.costUsd = costUsd;
  return record;
}
