import { Pool } from 'undici';
import { BENCH_CLIENT_KEY } from './fake-upstream.ts';
import { median, summarizeLatencies } from './percentile.ts';
import {
  loadGeneratorCommandSchema,
  type ClosedLoopResult,
  type HoldStreamsResult,
  type LoadJob,
  type StreamProbeResult,
} from './load-job.ts';

/**
 * A closed-loop load generator on undici `Pool`, run as its own child process by `run-bench.ts`
 * (so its CPU use is visible as a process of its own, not mixed into llmux or the orchestrator).
 * Every job is bounded in time and stops by itself; see load-job.ts for the jobs.
 */

const JSON_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_CLIENT_KEY}` };
/** Slack after a job's own duration before everything still in flight is aborted. */
const HARD_STOP_GRACE_MS = 15_000;
const NEWLINE = 10;

type ClosedLoopJob = Extract<LoadJob, { type: 'closed-loop' }>;
type StreamProbeJob = Extract<LoadJob, { type: 'stream-probe' }>;
type HoldStreamsJob = Extract<LoadJob, { type: 'hold-streams' }>;

function createPool(origin: string, connections: number, timeoutMs = 10_000): Pool {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export async function runClosedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  const pool = createPool(job.request.origin, job.connections);
  const body = Buffer.from(job.request.body);
  const latencies: number[] = [];
  const overheads: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + job.durationMs;
  const hardStop = AbortSignal.timeout(job.durationMs + HARD_STOP_GRACE_MS);

  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && !hardStop.aborted) {
      const sentAt = performance.now();
      try {
        const response = await pool.request({ path: job.request.path, method: 'POST', headers: JSON_HEADERS, body, signal: hardStop });
        if (response.statusCode !== 200) {
          const text = await response.body.text();
          errors += 1;
          firstError ??= `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
          continue;
        }
        for await (const _chunk of response.body) {
          // Read to the last byte: the latency is the whole answer's.
        }
        latencies.push((performance.now() - sentAt) * 1000);
        const overhead = response.headers['x-llmux-overhead-ms'];
        if (typeof overhead === 'string') overheads.push(Number(overhead));
      } catch (error) {
        errors += 1;
        firstError ??= describeError(error);
      }
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  const elapsedMs = performance.now() - started;
  await pool.destroy();
  return {
    type: 'closed-loop-result',
    requests: latencies.length,
    errors,
    firstError,
    elapsedMs,
    requestsPerSecond: (latencies.length / elapsedMs) * 1000,
    latencyUs: summarizeLatencies(latencies),
    reportedOverheadMs: overheads.length > 0 ? median(overheads) : undefined,
  };
}

export async function runStreamProbe(job: StreamProbeJob): Promise<StreamProbeResult> {
  const pool = createPool(job.request.origin, 1);
  const body = Buffer.from(job.request.body);
  const firstBytes: number[] = [];
  const firstLines: number[] = [];
  const lastBytes: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const deadline = performance.now() + job.maxDurationMs;
  const hardStop = AbortSignal.timeout(job.maxDurationMs + HARD_STOP_GRACE_MS);

  for (let sent = 0; sent < job.count && performance.now() < deadline; sent += 1) {
    const sentAt = performance.now();
    try {
      const response = await pool.request({ path: job.request.path, method: 'POST', headers: JSON_HEADERS, body, signal: hardStop });
      if (response.statusCode !== 200) {
        const text = await response.body.text();
        errors += 1;
        firstError ??= `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
        continue;
      }
      let firstByteAt = 0;
      let firstLineAt = 0;
      for await (const chunk of response.body) {
        if (firstLineAt !== 0) continue; // timed already; keep reading to the end
        const now = performance.now();
        if (firstByteAt === 0) firstByteAt = now;
        if ((chunk as Buffer).includes(NEWLINE)) firstLineAt = now;
      }
      const lastByteAt = performance.now();
      if (firstLineAt === 0) {
        errors += 1;
        firstError ??= 'stream ended without a complete line';
        continue;
      }
      firstBytes.push((firstByteAt - sentAt) * 1000);
      firstLines.push((firstLineAt - sentAt) * 1000);
      lastBytes.push((lastByteAt - sentAt) * 1000);
    } catch (error) {
      errors += 1;
      firstError ??= describeError(error);
    }
  }
  await pool.destroy();
  return {
    type: 'stream-probe-result',
    requests: lastBytes.length,
    errors,
    firstError,
    firstByteUs: summarizeLatencies(firstBytes),
    firstLineUs: summarizeLatencies(firstLines),
    lastByteUs: summarizeLatencies(lastBytes),
  };
}

/**
 * Opens `count` streams at once and keeps reading them; once each has sent its first byte (or the
 * open timeout passed) calls `onHolding`, then aborts them all when `release` resolves.
 */
export async function runHoldStreams(
  job: HoldStreamsJob,
  onHolding: (opened: number, failed: number) => void,
  release: Promise<void>,
): Promise<HoldStreamsResult> {
  // Streams the server queues are held, not failed: only the job's own timers end them.
  const pool = createPool(job.request.origin, job.count, job.openTimeoutMs + job.holdTimeoutMs);
  const body = Buffer.from(job.request.body);
  const controller = new AbortController();
  const hardStop = setTimeout(() => controller.abort(), job.openTimeoutMs + job.holdTimeoutMs);
  let flowing = 0;
  let errors = 0;
  let firstError: string | undefined;
  let allSettledOpening = (): void => {};
  const opening = new Promise<void>((resolve) => (allSettledOpening = resolve));
  const settleOne = (): void => {
    if (flowing + errors >= job.count) allSettledOpening();
  };

  const openOne = async (): Promise<void> => {
    let counted = false;
    try {
      const response = await pool.request({ path: job.request.path, method: 'POST', headers: JSON_HEADERS, body, signal: controller.signal });
      if (response.statusCode !== 200) {
        firstError ??= `HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 300)}`;
        errors += 1;
        settleOne();
        return;
      }
      for await (const _chunk of response.body) {
        if (counted) continue;
        counted = true;
        flowing += 1;
        settleOne();
      }
    } catch (error) {
      if (controller.signal.aborted) return; // our own release
      errors += 1;
      firstError ??= describeError(error);
      settleOne();
    }
  };

  const streams = Array.from({ length: job.count }, openOne);
  let openTimer: NodeJS.Timeout | undefined;
  await Promise.race([opening, new Promise<void>((resolve) => (openTimer = setTimeout(resolve, job.openTimeoutMs)))]);
  clearTimeout(openTimer);
  const opened = flowing;
  onHolding(opened, errors);
  let holdTimer: NodeJS.Timeout | undefined;
  await Promise.race([release, new Promise<void>((resolve) => (holdTimer = setTimeout(resolve, job.holdTimeoutMs)))]);
  clearTimeout(holdTimer);
  controller.abort();
  await Promise.allSettled(streams);
  clearTimeout(hardStop);
  await pool.destroy();
  return { type: 'hold-streams-result', requests: job.count, errors, firstError, opened };
}

async function runAsChildProcess(): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('the load generator is started by bench/run-bench.ts (it needs an IPC channel)');
  let releaseWaiting: (() => void) | undefined;
  process.on('message', (message: unknown) => {
    const command = loadGeneratorCommandSchema.parse(message);
    if (command.type === 'release') {
      releaseWaiting?.();
      return;
    }
    const job = command.job;
    const done =
      job.type === 'closed-loop'
        ? runClosedLoop(job)
        : job.type === 'stream-probe'
          ? runStreamProbe(job)
          : runHoldStreams(
              job,
              (opened, failed) => send({ type: 'holding', opened, failed }),
              new Promise<void>((resolve) => (releaseWaiting = resolve)),
            );
    done.then(
      (result) => send(result),
      (error: unknown) => send({ type: 'job-failed', message: describeError(error) }),
    );
  });
  process.once('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

if (import.meta.main) await runAsChildProcess();
