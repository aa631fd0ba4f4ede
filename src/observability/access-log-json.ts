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
 * than built as an object of some twenty fields and walked by JSON.stringify.
 *
 * A line joined from many short pieces costs about as much to flatten (the scrubbing and the sink
 * read it whole) as to join, so the runs of fields that repeat from one request to the next (the
 * head, method to result, model to upstream model, the token counts) are kept as one written piece
 * each, and used again while their values are the same: about twenty pieces a line rather than fifty.
 */
export class AccessLogJson {
  private head = { level: Number.NaN, pid: Number.NaN, hostnameJson: '', start: '', middle: '' };
  private request = { method: '', url: '', protocol: '', status: Number.NaN, result: '', json: '' };
  private routing: { model: string | undefined; key: string | undefined; provider: string | undefined; upstreamModel: string | undefined; json: string } = {
    model: undefined,
    key: undefined,
    provider: undefined,
    upstreamModel: undefined,
    json: '',
  };
  private tokens: { input: number; output: number; source: string; cacheRead: number | undefined; cacheWrite: number | undefined; reasoning: number | undefined; json: string } = {
    input: Number.NaN,
    output: Number.NaN,
    source: '',
    cacheRead: undefined,
    cacheWrite: undefined,
    reasoning: undefined,
    json: '',
  };

  line(head: LogLineHead, outcome: RequestOutcome, method: string, url: string): string {
    const known = this.head;
    if (known.level !== head.level || known.pid !== head.pid || known.hostnameJson !== head.hostnameJson) {
      this.head = { level: head.level, pid: head.pid, hostnameJson: head.hostnameJson, start: `{"level":${number(head.level)},"time":`, middle: `,"pid":${number(head.pid)},"hostname":${head.hostnameJson},"reqId":` };
    }
    let line = `${this.head.start}${number(head.time)}${this.head.middle}${jsonString(head.reqId)}${this.requestJson(outcome, method, url)}${this.routingJson(outcome)}`;
    line += `${outcome.streamed ? ',"streamed":true,"ms":' : ',"streamed":false,"ms":'}${number(round(outcome.totalMs))},"overheadMs":${number(round(outcome.overheadMs))},"bytes":${number(outcome.bytesOut)}`;
    if (outcome.attempts.length > 1) line += `,"attempts":${clippedList(outcome.attempts.map((attempt) => `${attempt.provider}/${attempt.model} ${attempt.status} ${round(attempt.ms)}ms`))}`;
    if (outcome.usage !== undefined) line += this.tokensJson(outcome.usage);
    if (outcome.ttftMs !== undefined) line += `,"ttftMs":${number(round(outcome.ttftMs))}`;
    if (outcome.errorKind !== undefined) {
      line += `,"error":{"kind":${jsonString(outcome.errorKind)}`;
      if (outcome.errorMessage !== undefined) line += `,"message":${clipped(outcome.errorMessage)}`;
      line += '}';
    }
    if (outcome.degraded.length > 0) line += `,"degraded":${clippedList(outcome.degraded.map((degraded) => degraded.field))}`;
    return `${line},"msg":"request"}`;
  }

  /** `,"method":…,"url":…,"protocol":…,"status":…,"result":…` */
  private requestJson(outcome: RequestOutcome, method: string, url: string): string {
    const known = this.request;
    if (known.method === method && known.url === url && known.protocol === outcome.protocol && known.status === outcome.status && known.result === outcome.result) return known.json;
    const json = `,"method":${clipped(method)},"url":${clipped(url)},"protocol":${clipped(outcome.protocol)},"status":${number(outcome.status)},"result":${jsonString(outcome.result)}`;
    this.request = { method, url, protocol: outcome.protocol, status: outcome.status, result: outcome.result, json };
    return json;
  }

  /** `,"model":…,"key":…,"provider":…,"upstreamModel":…`, each only when there is one. */
  private routingJson(outcome: RequestOutcome): string {
    const known = this.routing;
    const { requestedModel: model, keyName: key, provider, upstreamModel } = outcome;
    if (known.model === model && known.key === key && known.provider === provider && known.upstreamModel === upstreamModel) return known.json;
    let json = '';
    if (model !== undefined) json += `,"model":${clipped(model)}`;
    if (key !== undefined) json += `,"key":${clipped(key)}`;
    if (provider !== undefined) json += `,"provider":${clipped(provider)}`;
    if (upstreamModel !== undefined) json += `,"upstreamModel":${clipped(upstreamModel)}`;
    this.routing = { model, key, provider, upstreamModel, json };
    return json;
  }

  /** `,"tokens":{…}`, as accessLogLine's `tokens` (keys in its order; an optional count only when present). */
  private tokensJson(usage: Usage): string {
    const known = this.tokens;
    const { input, output, source } = usage;
    if (
      known.input === input.total &&
      known.output === output.total &&
      known.source === source &&
      known.cacheRead === input.cacheRead &&
      known.cacheWrite === input.cacheWrite &&
      known.reasoning === output.reasoning
    ) {
      return known.json;
    }
    // Typed as always there; left out as JSON.stringify leaves out an undefined value all the same.
    let json = input.total === undefined ? ',"tokens":{' : `,"tokens":{"input":${number(input.total)},`;
    if (output.total !== undefined) json += `"output":${number(output.total)},`;
    json += `"source":${jsonString(source)}`;
    if (input.cacheRead !== undefined) json += `,"cacheRead":${number(input.cacheRead)}`;
    if (input.cacheWrite !== undefined) json += `,"cacheWrite":${number(input.cacheWrite)}`;
    if (output.reasoning !== undefined) json += `,"reasoning":${number(output.reasoning)}`;
    json += '}';
    this.tokens = { input: input.total, output: output.total, source, cacheRead: input.cacheRead, cacheWrite: input.cacheWrite, reasoning: output.reasoning, json };
    return json;
  }
}

const shared = new AccessLogJson();

/** The access-log record's JSON text (see AccessLogJson), written by one writer for the process. */
export function accessLogJson(head: LogLineHead, outcome: RequestOutcome, method: string, url: string): string {
  return shared.line(head, outcome, method, url);
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

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
