import type { Usage } from '../canonical/usage.ts';
import type { RequestOutcome } from './request-outcome.ts';
import { clipText } from '../canonical/quote-client-text.ts';
import { MAX_LOG_ITEMS, MAX_LOG_STRING } from './bound-log-fields.ts';

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
  addOptionalFields(line, outcome, false);
  return line;
}

/** What pino puts before a child logger's fields: its level, time, base fields and the request id binding. */
export interface LogLineHead {
  level: number;
  time: number;
  pid: number;
  hostname: string;
  reqId: string;
}

/**
 * The whole access-log record as pino would write it for `request.log.info(accessLogLine(…), 'request')`:
 * the same keys in the same order (level, time, pid, hostname, reqId, the line's fields, msg), and
 * every string already cut as boundLogFields (pino's log formatter) cuts it, so that one
 * JSON.stringify of it is the line pino writes, with no copy or walk of the record after.
 */
export function accessLogRecord(head: LogLineHead, outcome: RequestOutcome, method: string, url: string): Record<string, unknown> {
  const line: Record<string, unknown> = {
    level: head.level,
    time: head.time,
    pid: head.pid,
    hostname: head.hostname,
    reqId: head.reqId,
    method: clip(method),
    url: clip(url),
    protocol: clip(outcome.protocol),
    status: outcome.status,
    result: outcome.result,
    model: clip(outcome.requestedModel),
    key: clip(outcome.keyName),
    provider: clip(outcome.provider),
    upstreamModel: clip(outcome.upstreamModel),
    streamed: outcome.streamed,
    ms: round(outcome.totalMs),
    overheadMs: round(outcome.overheadMs),
    bytes: outcome.bytesOut,
  };
  addOptionalFields(line, outcome, true);
  line.msg = 'request';
  return line;
}

/** The fields present only sometimes; `bounded`: cut as boundLogFields would (see accessLogRecord). */
function addOptionalFields(line: Record<string, unknown>, outcome: RequestOutcome, bounded: boolean): void {
  if (outcome.attempts.length > 1) {
    const attempts = outcome.attempts.map((attempt) => `${attempt.provider}/${attempt.model} ${attempt.status} ${round(attempt.ms)}ms`);
    line.attempts = bounded ? clipList(attempts) : attempts;
  }
  if (outcome.usage !== undefined) line.tokens = tokenCounts(outcome.usage);
  if (outcome.ttftMs !== undefined) line.ttftMs = round(outcome.ttftMs);
  if (outcome.errorKind !== undefined) line.error = bounded ? { kind: outcome.errorKind, message: clip(outcome.errorMessage) } : { kind: outcome.errorKind, message: outcome.errorMessage };
  if (outcome.degraded.length > 0) {
    const fields = outcome.degraded.map((degraded) => degraded.field);
    line.degraded = bounded ? clipList(fields) : fields;
  }
}

/** A string cut to MAX_LOG_STRING, as boundLogFields cuts one. */
function clip<T extends string | undefined>(text: T): T {
  return (text !== undefined && text.length > MAX_LOG_STRING ? clipText(text, MAX_LOG_STRING) : text) as T;
}

/** A list of strings as boundLogFields leaves it: at most its first 100, each cut. */
function clipList(items: string[]): string[] {
  return items.length > MAX_LOG_ITEMS ? items.slice(0, MAX_LOG_ITEMS).map(clip) : items.map(clip);
}

/** The only place the outcome code reads inside Usage. */
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
