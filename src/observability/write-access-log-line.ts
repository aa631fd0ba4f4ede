import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { accessLogLine } from './access-log-line.ts';
import { accessLogJson, jsonString } from './access-log-json.ts';
import { directLogLine } from './direct-log-line.ts';
import type { RequestOutcome } from './request-outcome.ts';

/** pino's level numbers and default base fields (pid, hostname), as pino writes them. */
const LEVEL_VALUES = { info: 30, debug: 20 } as const;
/** pino's `hostname` base field, as JSON: the same for every line. */
const HOSTNAME_JSON = jsonString(hostname());

/**
 * Writes a request's access line, `msg: 'request'`, at `level` on the request's logger. On a
 * logger made by createLogger the line is written whole as JSON in pino's key order (accessLogJson),
 * handed straight to the logger's line pipeline (scrubbing, pretty, sink): byte for byte the line
 * pino writes for `log.info(accessLogLine(…), 'request')` (its strings cut as pino's log formatter,
 * boundLogFields, cuts them), without pino's per-field string building, its hook, formatter and
 * redaction pass (no redacted path exists in this record). Any other
 * logger (a test's own pino) gets the ordinary call.
 */
export function writeAccessLogLine(log: FastifyBaseLogger, level: 'info' | 'debug', requestId: string, outcome: RequestOutcome, method: string, url: string): void {
  const direct = directLogLine(log);
  if (direct === undefined) {
    log[level](accessLogLine(outcome, method, url), 'request');
    return;
  }
  if (!direct.enabled(log, level)) return;
  direct.write(accessLogJson({ level: LEVEL_VALUES[level], time: Date.now(), pid: process.pid, hostnameJson: HOSTNAME_JSON, reqId: requestId }, outcome, method, url));
}
