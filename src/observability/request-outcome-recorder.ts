import type { GatewayError } from '../canonical/gateway-error.ts';
import type { Timing } from '../canonical/timing.ts';
import type { Usage } from '../canonical/usage.ts';
import type { DegradedField } from '../canonical/degraded-field.ts';
import type { InFlightEntry } from './in-flight-list.ts';
import type { OutcomeResult, RequestOutcome, UpstreamAttempt } from './request-outcome.ts';

export interface OutcomeStart {
  requestId: string;
  protocol: string;
  route: string;
  /** The HTTP method (what the dashboard's list of running requests shows). */
  method?: string;
  /** A monotonic clock in ms (performance.now by default). */
  clock?: () => number;
  /** When the request arrived, on that clock; now by default. */
  arrivedAt?: number;
}

/** What the socket said when it closed. */
export interface ClosedSocket {
  /** The whole response was handed to the OS. */
  finished: boolean;
  headersSent: boolean;
  /** The status the response has (sent when headersSent). */
  status: number;
}

/** One upstream attempt under way; the first `succeed` or `fail` fixes its status and time. */
export interface AttemptHandle {
  succeed(): void;
  fail(error: GatewayError): void;
}

/** Where a recorder hands its finalised outcome: the hub, one object for every request. */
export interface OutcomeDelivery {
  deliver(recorder: RequestOutcomeRecorder, outcome: RequestOutcome): void;
}

/**
 * The `degraded` of an outcome with nothing degraded (most of them): one shared array, frozen, so
 * that a consumer that pushed to it would throw rather than change every other outcome.
 */
const NOTHING_DEGRADED: DegradedField[] = Object.freeze([]) as unknown as DegradedField[];

/** How long finalisation waits for a stream's own end (partial usage) after its socket closed. */
const SETTLE_WAIT_MS = 2_000;

/** Status of a request that never got a response: the client left, or a drain cut it. */
const CLIENT_ABORT_STATUS = 499;
const DRAIN_CUT_STATUS = 503;

/**
 * Collects one request's outcome while it runs (routing, the server and the stream writer report
 * to it) and builds the RequestOutcome once, when the socket closes — after the stream being
 * written, if any, has settled, so that what an aborted stream streamed is counted.
 */
export class RequestOutcomeRecorder {
  protocol: string;
  route: string;
  requestedModel: string | undefined;
  keyName: string | undefined;
  streamed = false;
  readonly requestId: string;
  readonly method: string;
  /** Epoch ms when the recorder was made (the request's arrival). */
  readonly startedAt = Date.now();
  private readonly clock: () => number;
  private readonly arrivedAt: number;
  private readonly attempts: OpenAttempt[] = [];
  /** Made on the first degraded field (or pending work): most requests have none. */
  private degraded: DegradedField[] | undefined;
  private pending: Promise<unknown>[] | undefined;
  /** Held work not settled yet: a stream whose writer has ended by the socket's close needs no wait. */
  private unsettled = 0;
  private readonly delivery: OutcomeDelivery | ((outcome: RequestOutcome) => void);
  private usage: Usage | undefined;
  private upstreamTiming: Timing | undefined;
  private error: GatewayError | undefined;
  private firstByteAt: number | undefined;
  private bytesOut = 0;
  private retryWaitMs = 0;
  /** Upstream waits as measured around the HTTP exchange (whole answers); streams use the attempts' times. */
  private upstreamWaitMs: number | undefined;
  private drainCut = false;
  private closed = false;
  /** Its place in the hub's list of outcomes in flight, while it is there (the hub sets and clears it). */
  inFlight: InFlightEntry<RequestOutcomeRecorder> | undefined;

  /** `delivery`: an object (the hub: no function per request) or a function given the outcome. */
  constructor(start: OutcomeStart, delivery: OutcomeDelivery | ((outcome: RequestOutcome) => void)) {
    this.requestId = start.requestId;
    this.method = start.method ?? '';
    this.protocol = start.protocol;
    this.route = start.route;
    this.requestedModel = undefined;
    this.keyName = undefined;
    this.clock = start.clock ?? monotonicNow;
    this.arrivedAt = start.arrivedAt ?? this.clock();
    this.delivery = delivery;
    this.inFlight = undefined;
  }

  /** An upstream call begins. */
  beginAttempt(provider: string, providerType: string, model: string): AttemptHandle {
    const attempt = new OpenAttempt({ provider, providerType, model, status: 0, ms: 0 }, this.clock);
    this.attempts.push(attempt);
    return attempt;
  }

  /** The answer's usage: final, or partial (counted from what was streamed) when it ended early. */
  setUsage(usage: Usage): void {
    this.usage = usage;
  }

  /** The upstream's own timing, kept beside what llmux measured. */
  setUpstreamTiming(timing: Timing): void {
    this.upstreamTiming = timing;
  }

  /** The error the client was answered with (as a status or in-band); the first one counts. */
  noteError(error: GatewayError): void {
    this.error ??= error;
  }

  addDegraded(fields: readonly DegradedField[]): void {
    if (fields.length === 0) return;
    (this.degraded ??= []).push(...fields);
  }

  /** Time an attempt spent waiting on its upstream (the rest of the attempt is llmux's own work). */
  addUpstreamWait(ms: number): void {
    this.upstreamWaitMs = (this.upstreamWaitMs ?? 0) + ms;
  }

  addRetryWait(ms: number): void {
    this.retryWaitMs += ms;
  }

  /** Body bytes written to the client; the first write is the time to first token. */
  noteBytesWritten(bytes: number): void {
    if (bytes <= 0) return;
    this.firstByteAt ??= this.clock();
    this.bytesOut += bytes;
  }

  /** Work that must end before the outcome is final (the stream writer, with its partial usage). */
  hold(work: Promise<unknown>): void {
    this.unsettled += 1;
    const settled = (): void => {
      this.unsettled -= 1;
    };
    (this.pending ??= []).push(work.then(settled, settled));
  }

  markDrainCut(): void {
    this.drainCut = true;
  }

  /** Finalises the outcome, once; later calls resolve to undefined. */
  async close(socket: ClosedSocket): Promise<RequestOutcome | undefined> {
    if (this.closed) return undefined;
    this.closed = true;
    const result = this.resultOf(socket);
    if (this.unsettled > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SETTLE_WAIT_MS);
      });
      await Promise.race([Promise.all(this.pending ?? []), deadline]);
      clearTimeout(timer);
    }
    const outcome = this.build(result, socket);
    this.deliver(outcome);
    return outcome;
  }

  /**
   * As close, with the final outcome handed to `done`: synchronously when no held work is still
   * running (most requests, and a stream whose writer ended before its socket closed: no promise,
   * timer or extra turn), else once it has settled.
   */
  finish(socket: ClosedSocket, done: (outcome: RequestOutcome) => void): void {
    if (this.unsettled > 0) {
      void this.close(socket).then((outcome) => {
        if (outcome !== undefined) done(outcome);
      });
      return;
    }
    if (this.closed) return;
    this.closed = true;
    const outcome = this.build(this.resultOf(socket), socket);
    this.deliver(outcome);
    done(outcome);
  }

  private deliver(outcome: RequestOutcome): void {
    if (typeof this.delivery === 'function') this.delivery(outcome);
    else this.delivery.deliver(this, outcome);
  }

  private resultOf(socket: ClosedSocket): OutcomeResult {
    return this.drainCut ? 'drain_cut' : !socket.finished ? 'client_abort' : this.error !== undefined || socket.status >= 400 ? 'error' : 'success';
  }

  private build(result: OutcomeResult, socket: ClosedSocket): RequestOutcome {
    const now = this.clock();
    for (const attempt of this.attempts) {
      if (!attempt.open) continue;
      attempt.open = false;
      attempt.record.ms = now - attempt.startedAt;
      attempt.record.status = result === 'client_abort' ? CLIENT_ABORT_STATUS : result === 'drain_cut' ? DRAIN_CUT_STATUS : 200;
    }
    // An array of exactly the attempts' length: one pushed to from empty holds 17 slots, and the
    // outcome outlives the request (the dashboard's ring, the usage queue).
    const attempts: UpstreamAttempt[] = this.attempts.map(recordOf);
    let attemptsMs = 0;
    for (const attempt of attempts) attemptsMs += attempt.ms;
    const upstreamMs = this.upstreamWaitMs ?? attemptsMs;
    const totalMs = now - this.arrivedAt;
    const status = result === 'client_abort' ? CLIENT_ABORT_STATUS : result === 'drain_cut' && !socket.headersSent ? DRAIN_CUT_STATUS : socket.status;
    const outcome: RequestOutcome = {
      requestId: this.requestId,
      startedAt: this.startedAt,
      protocol: this.protocol,
      route: this.route,
      attempts,
      status,
      result,
      streamed: this.streamed,
      totalMs,
      overheadMs: Math.max(0, totalMs - upstreamMs - this.retryWaitMs),
      bytesOut: this.bytesOut,
      degraded: this.degraded ?? NOTHING_DEGRADED,
    };
    if (this.requestedModel !== undefined) outcome.requestedModel = this.requestedModel;
    if (this.keyName !== undefined) outcome.keyName = this.keyName;
    const last = attempts.at(-1);
    if (last !== undefined) {
      outcome.provider = last.provider;
      outcome.upstreamModel = last.model;
    }
    if (this.error !== undefined) {
      outcome.errorKind = this.error.kind;
      outcome.errorMessage = this.error.message;
    }
    if (this.usage !== undefined) outcome.usage = this.usage;
    if (this.firstByteAt !== undefined && socket.status < 400) outcome.ttftMs = this.firstByteAt - this.arrivedAt;
    if (this.upstreamTiming !== undefined) outcome.upstreamTiming = this.upstreamTiming;
    return outcome;
  }
}

function recordOf(attempt: OpenAttempt): UpstreamAttempt {
  return attempt.record;
}

function monotonicNow(): number {
  return performance.now();
}

/** One upstream call, as its handle: the first `succeed` or `fail` ends it, later ones do nothing. */
class OpenAttempt implements AttemptHandle {
  readonly record: UpstreamAttempt;
  readonly startedAt: number;
  open = true;
  private readonly clock: () => number;

  constructor(record: UpstreamAttempt, clock: () => number) {
    this.record = record;
    this.clock = clock;
    this.startedAt = clock();
  }

  succeed(): void {
    this.end(200);
  }

  fail(error: GatewayError): void {
    this.end(error.upstreamStatus ?? error.status, error);
  }

  private end(status: number, error?: GatewayError): void {
    if (!this.open) return;
    this.open = false;
    this.record.status = status;
    this.record.ms = this.clock() - this.startedAt;
    if (error !== undefined) this.record.errorKind = error.kind;
  }
}
