import type { Usage } from '../canonical/usage.ts';
import type { RequestOutcome } from './request-outcome.ts';

/**
 * The one access-log line of a request, built from its outcome: what was asked (method, path,
 * model, key), where it went (provider, upstream model, attempts), how it ended (status, result,
 * error), what it cost (tokens, bytes) and how long it took (time to first token, total, overhead).
 */
export function accessLogLine(outcome: RequestOutcome, method: string, url: string): Record<string, unknown> {
  const line: Record<string, unknown> = {
    method,
    url,
    protocol: outcome.protocol,
    status: outcome.status,
    result: outcome.result,
    model: outcome.requestedModel,
    key: outcome.keyName,
    provider: outcome.provider,
    upstreamModel: outcome.upstreamModel,
    streamed: outcome.streamed,
    ms: round(outcome.totalMs),
    overheadMs: round(outcome.overheadMs),
    bytes: outcome.bytesOut,
  };
  addOptionalFields(line, outcome);
  return line;
}

/** The fields present only sometimes. */
function addOptionalFields(line: Record<string, unknown>, outcome: RequestOutcome): void {
  if (outcome.attempts.length > 1) line.attempts = outcome.attempts.map((attempt) => `${attempt.provider}/${attempt.model} ${attempt.status} ${round(attempt.ms)}ms`);
  if (outcome.usage !== undefined) line.tokens = tokenCounts(outcome.usage);
  if (outcome.ttftMs !== undefined) line.ttftMs = round(outcome.ttftMs);
  if (outcome.errorKind !== undefined) line.error = { kind: outcome.errorKind, message: outcome.errorMessage };
  if (outcome.degraded.length > 0) line.degraded = outcome.degraded.map((degraded) => degraded.field);
}

/** The answer's token counts (accessLogJson writes the same fields in the same order). */
function tokenCounts(usage: Usage): Record<string, number | string> {
  const counts: Record<string, number | string> = { input: usage.input.total, output: usage.output.total, source: usage.source };
  if (usage.input.cacheRead !== undefined) counts.cacheRead = usage.input.cacheRead;
  if (usage.input.cacheWrite !== undefined) counts.cacheWrite = usage.input.cacheWrite;
  if (usage.output.reasoning !== undefined) counts.reasoning = usage.output.reasoning;
  return counts;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
