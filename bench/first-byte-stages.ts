import diagnosticsChannel from 'node:diagnostics_channel';
import { renameSync, writeFileSync } from 'node:fs';
import { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './percentile.ts';

/**
 * Loaded into a server with `--import` by `measure-stream-cost.ts --stages`: where the time to a
 * stream's first byte goes inside the process, read from public hooks only (no marks in llmux's
 * code), so that llmux, the bare proxy and the bare proxy inside Fastify are cut at the same points:
 *   request start (`http.server.request.start`: its headers parsed)
 *   → route handler (Fastify's `fastify.request.handler` tracing channel; none in the bare proxy)
 *   → upstream request created (`undici:request:create`)
 *   → upstream answer's headers (`undici:request:headers`): the upstream's own time, and the wait for it
 *   → first body write to the client;
 * and, after the stream's last byte: how long `end()` took (the last write, and whatever the kernel
 * ran before giving the thread back) and the work left until the event loop's next check phase (the
 * request's bookkeeping, which the next request on the connection waits behind). Request starts are
 * also kept as wall-clock times (`performance.timeOrigin` + now: the same clock in every process on
 * the machine), so that the prober can tell how long a request waited before the server read it.
 * Requests are taken one at a time (the probe streams at one connection): the upstream events
 * belong to the request that started last. On SIGUSR2 it writes the medians (µs) of what it saw
 * since the last signal to `stagesFile(pid)`, and starts over.
 */

export interface FirstByteStages {
  streams: number;
  toHandlerUs: number;
  toUpstreamUs: number;
  upstreamUs: number;
  answerToFirstWriteUs: number;
  totalUs: number;
  endCallUs: number;
  afterEndUs: number;
  /** Wall-clock ms (performance.timeOrigin + performance.now()) of each request start, in order. */
  startedAtMs: number[];
}

export function stagesFile(pid: number): string {
  return join(tmpdir(), `llmux-first-byte-stages-${pid}.json`);
}

interface Timeline {
  start: number;
  handler?: number;
  upstream?: number;
  answered?: number;
  firstWrite?: number;
}

const TIMELINE = Symbol('first-byte-stages');
type Timed = ServerResponse & { [TIMELINE]?: Timeline };

let current: Timeline | undefined;
let done: Timeline[] = [];
let startedAtMs: number[] = [];
let endCalls: number[] = [];
let afterEnds: number[] = [];

diagnosticsChannel.subscribe('http.server.request.start', (message) => {
  current = { start: performance.now() };
  startedAtMs.push(performance.timeOrigin + current.start);
  (message as { response: Timed }).response[TIMELINE] = current;
});
diagnosticsChannel.tracingChannel('fastify.request.handler').subscribe({
  start: () => {
    if (current !== undefined) current.handler ??= performance.now();
  },
  end: () => undefined,
  asyncStart: () => undefined,
  asyncEnd: () => undefined,
  error: () => undefined,
});
diagnosticsChannel.subscribe('undici:request:create', () => {
  if (current !== undefined) current.upstream ??= performance.now();
});
diagnosticsChannel.subscribe('undici:request:headers', () => {
  if (current !== undefined) current.answered ??= performance.now();
});

const write = ServerResponse.prototype.write;
ServerResponse.prototype.write = function (this: Timed, ...args: Parameters<ServerResponse['write']>): boolean {
  const timeline = this[TIMELINE];
  if (timeline !== undefined && timeline.firstWrite === undefined) {
    timeline.firstWrite = performance.now();
    done.push(timeline);
  }
  return write.apply(this, args);
} as ServerResponse['write'];

const end = ServerResponse.prototype.end;
ServerResponse.prototype.end = function (this: Timed, ...args: Parameters<ServerResponse['end']>): ServerResponse {
  if (this[TIMELINE] === undefined) return end.apply(this, args);
  const calledAt = performance.now();
  const result = end.apply(this, args);
  const returnedAt = performance.now();
  endCalls.push(returnedAt - calledAt);
  setImmediate(() => afterEnds.push(performance.now() - returnedAt));
  return result;
} as ServerResponse['end'];

process.on('SIGUSR2', () => {
  const seen = done.filter((entry) => entry.upstream !== undefined && entry.answered !== undefined);
  done = [];
  const medianUs = (pick: (entry: Timeline) => number): number => median(seen.map(pick)) * 1000;
  const at = (value: number | undefined): number => value ?? Number.NaN;
  const stages: FirstByteStages = {
    streams: seen.length,
    toHandlerUs: medianUs((entry) => at(entry.handler) - entry.start),
    toUpstreamUs: medianUs((entry) => at(entry.upstream) - entry.start),
    upstreamUs: medianUs((entry) => at(entry.answered) - at(entry.upstream)),
    answerToFirstWriteUs: medianUs((entry) => at(entry.firstWrite) - at(entry.answered)),
    totalUs: medianUs((entry) => at(entry.firstWrite) - entry.start),
    endCallUs: median(endCalls) * 1000,
    afterEndUs: median(afterEnds) * 1000,
    startedAtMs,
  };
  startedAtMs = [];
  endCalls = [];
  afterEnds = [];
  const file = stagesFile(process.pid);
  writeFileSync(`${file}.tmp`, JSON.stringify(stages));
  renameSync(`${file}.tmp`, file);
});
