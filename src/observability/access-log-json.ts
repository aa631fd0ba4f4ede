import type { Usage } from '../canonical/usage.ts';
import { clipText } from '../canonical/quote-client-text.ts';
import { MAX_LOG_ITEMS, MAX_LOG_STRING } from './bound-log-fields.ts';
import type { RequestOutcome } from './request-outcome.ts';

/** What pino puts before a child logger's fields: its level, time, base fields and the request id binding. */
export interface LogLineHead {
  level: number;
  time: number;
  pid: number;
  /** Written as it is, already a JSON string (see jsonString): the same for every line of the process. */
  hostnameJson: string;
  reqId: string;
}

/**
 * The whole access-log record as pino would write it for `request.log.info(accessLogLine(…), 'request')`,
 * as its JSON text: the same keys in the same order (level, time, pid, hostname, reqId, the line's fields,
 * msg), every string cut as boundLogFields (pino's log formatter) cuts it, a field whose value is
 * undefined left out. Byte for byte `JSON.stringify` of that record, written as one template rather
 * than built as an object of some twenty fields and walked by JSON.stringify (about half the time).
 */
export function accessLogJson(head: LogLineHead, outcome: RequestOutcome, method: string, url: string): string {
  let line = `{"level":${number(head.level)},"time":${number(head.time)},"pid":${number(head.pid)},"hostname":${head.hostnameJson},"reqId":${jsonString(head.reqId)},"method":${clipped(method)},"url":${clipped(url)},"protocol":${clipped(outcome.protocol)},"status":${number(outcome.status)},"result":${jsonString(outcome.result)}`;
  if (outcome.requestedModel !== undefined) line += `,"model":${clipped(outcome.requestedModel)}`;
  if (outcome.keyName !== undefined) line += `,"key":${clipped(outcome.keyName)}`;
  if (outcome.provider !== undefined) line += `,"provider":${clipped(outcome.provider)}`;
  if (outcome.upstreamModel !== undefined) line += `,"upstreamModel":${clipped(outcome.upstreamModel)}`;
  line += `,"streamed":${outcome.streamed},"ms":${number(round(outcome.totalMs))},"overheadMs":${number(round(outcome.overheadMs))},"bytes":${number(outcome.bytesOut)}`;
  if (outcome.attempts.length > 1) line += `,"attempts":${clippedList(outcome.attempts.map((attempt) => `${attempt.provider}/${attempt.model} ${attempt.status} ${round(attempt.ms)}ms`))}`;
  if (outcome.usage !== undefined) line += `,"tokens":${tokenCounts(outcome.usage)}`;
  if (outcome.ttftMs !== undefined) line += `,"ttftMs":${number(round(outcome.ttftMs))}`;
  if (outcome.errorKind !== undefined) {
    line += `,"error":{"kind":${jsonString(outcome.errorKind)}`;
    if (outcome.errorMessage !== undefined) line += `,"message":${clipped(outcome.errorMessage)}`;
    line += '}';
  }
  if (outcome.degraded.length > 0) line += `,"degraded":${clippedList(outcome.degraded.map((degraded) => degraded.field))}`;
  return `${line},"msg":"request"}`;
}

/** A string as JSON.stringify writes it: most need no escape, and are quoted without a call into it. */
export function jsonString(text: string): string {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // Control characters, the quote and the backslash are escaped; a surrogate is escaped when it is alone.
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** A number as JSON.stringify writes it (null when not finite). */
function number(value: number): string {
  return Number.isFinite(value) ? `${value}` : 'null';
}

/** A string cut to MAX_LOG_STRING, as boundLogFields cuts one, as JSON. */
function clipped(text: string): string {
  return jsonString(text.length > MAX_LOG_STRING ? clipText(text, MAX_LOG_STRING) : text);
}

/** A list of strings as boundLogFields leaves it (at most its first 100, each cut), as JSON. */
function clippedList(items: string[]): string {
  const kept = items.length > MAX_LOG_ITEMS ? items.slice(0, MAX_LOG_ITEMS) : items;
  return `[${kept.map(clipped).join(',')}]`;
}

/** The token counts, as accessLogLine's `tokens` (keys in its order; an optional count only when present). */
function tokenCounts(usage: Usage): string {
  // Typed as always there; left out as JSON.stringify leaves out an undefined value all the same.
  let counts = usage.input.total === undefined ? '{' : `{"input":${number(usage.input.total)},`;
  if (usage.output.total !== undefined) counts += `"output":${number(usage.output.total)},`;
  counts += `"source":${jsonString(usage.source)}`;
  if (usage.input.cacheRead !== undefined) counts += `,"cacheRead":${number(usage.input.cacheRead)}`;
  if (usage.input.cacheWrite !== undefined) counts += `,"cacheWrite":${number(usage.input.cacheWrite)}`;
  if (usage.output.reasoning !== undefined) counts += `,"reasoning":${number(usage.output.reasoning)}`;
  return `${counts}}`;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
