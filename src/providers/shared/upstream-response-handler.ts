import { errors as undiciErrors, type Dispatcher } from 'undici';
import type { GatewayError } from '../../canonical/gateway-error.ts';
import type { UpstreamTimeouts } from '../../wire/create-upstream-dispatcher.ts';
import { mapTransportError, type TransportErrorContext } from './map-transport-error.ts';
import { DONE, UpstreamBodyReader } from './upstream-body-reader.ts';
import type { UpstreamResponse } from './upstream-http-client.ts';
import { upstreamWaitMs, type UpstreamWait, type WireTimes } from './upstream-wait.ts';

/** Bytes held for a reader that has not asked for them before the connection is paused (a Node stream's default). */
const HIGH_WATER_MARK_BYTES = 64 * 1024;

/**
 * One upstream request as undici's dispatch handler, and its answer's body as llmux's UpstreamBody:
 * no Node Readable, no BodyReadable, no ticks of their own. The response settles at the headers;
 * the body's chunks go straight to whoever reads them (UpstreamBodyReader, the reader's side):
 * collected and decoded once at the end for `text`/`json`/`bytes`, handed one by one to `chunks()`
 * (the connection is paused while more than 64 KB wait unread), counted and dropped for `drain`.
 * The request's signal aborts it at any point (the connection closes, so the upstream stops
 * generating). Every failure reaches the reader as mapTransportError made it. It is also the
 * request's WireTimes for the wait clock: `sentAt` from onRequestSent, `endedAt` from
 * onResponseEnd, `connecting` from the dispatch (see dispatchNotingConnect).
 */
export class UpstreamResponseHandler extends UpstreamBodyReader implements Dispatcher.DispatchHandler, WireTimes {
  /** Settles at the headers, or with the failure that came first. */
  readonly response: Promise<UpstreamResponse>;
  sentAt = Number.NaN;
  endedAt = Number.NaN;
  connecting = false;

  // What the request is for, as its failures name it.
  private readonly url: string;
  private readonly signal: AbortSignal;
  private readonly timeouts: UpstreamTimeouts;
  private readonly proxy: string | undefined;
  private readonly wait: UpstreamWait | undefined;
  private readonly startedAt: number;
  private resolveResponse: ((response: UpstreamResponse) => void) | undefined;
  private rejectResponse: ((error: Error) => void) | undefined;
  private counted: boolean;

  constructor(url: string, signal: AbortSignal, timeouts: UpstreamTimeouts, proxy: string | undefined, wait: UpstreamWait | undefined, startedAt: number) {
    super();
    this.url = url;
    this.signal = signal;
    this.timeouts = timeouts;
    this.proxy = proxy;
    this.wait = wait;
    this.startedAt = startedAt;
    this.counted = wait === undefined;
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
    if (signal.aborted) this.fail(this.mapError(signal.reason));
    else signal.addEventListener('abort', this);
  }

  /** Whether the request already failed (its signal had fired): then it is not dispatched at all. */
  get failed(): boolean {
    return this.phase === 'failed';
  }

  /** A failure of the dispatch itself (a dispatcher that could not be made, a closed one). */
  failWith(error: unknown): void {
    this.fail(this.mapError(error));
  }

  /** The request's signal fired: the client went away, or a deadline passed. */
  handleEvent(): void {
    const reason: unknown = this.signal.reason;
    this.fail(this.mapError(reason));
    this.abortRequest(reason instanceof Error ? reason : new undiciErrors.RequestAbortedError());
  }

  // --- undici's side ---

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Failed while the request waited for a connection: it goes no further.
    if (this.phase !== 'waiting') controller.abort(this.error ?? new undiciErrors.RequestAbortedError());
  }

  onRequestSent(): void {
    if (this.wait !== undefined) this.sentAt = performance.now();
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    // undici keeps the answer's raw headers on the controller for as long as the answer lasts:
    // Buffers that are views into the network read they came in, which keeps that whole read
    // (the headers and the first events of a stream) alive with them. The parsed headers are
    // all llmux reads. Measured with 200 open streams: about 2 KB per stream (2026-12).
    controller.rawHeaders = null;
    // 1xx answers are interim; the real one follows.
    if (statusCode < 200 || this.phase !== 'waiting') return;
    this.controller = controller;
    this.phase = 'body';
    const length = headers['content-length'];
    if (typeof length === 'string') this.contentLength = Number(length);
    const resolve = this.resolveResponse;
    this.resolveResponse = undefined;
    this.rejectResponse = undefined;
    resolve?.({ status: statusCode, headers, body: this });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.phase !== 'body') return;
    this.receivedBytes += chunk.length;
    const reading = this.reading;
    if (reading === 'drain') {
      // More is left than the limit allows: closing the connection is cheaper than reading on.
      if (this.receivedBytes > this.drainLimit) this.destroy();
      return;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    // A waiting chunk reader gets everything this network read brought (undici hands it over one
    // HTTP chunk at a time), once the parser is done with it: one batch, one write downstream.
    if (reading === 'chunks' && this.resolveRead !== undefined && !this.handOverQueued) {
      this.handOverQueued = true;
      queueMicrotask((this.handOverBound ??= () => this.handOver()));
    }
    // A whole read takes everything; anyone else reads at their own pace.
    if (this.queuedBytes >= HIGH_WATER_MARK_BYTES && (reading === 'none' || reading === 'chunks')) controller.pause();
  }

  onResponseEnd(): void {
    if (this.phase !== 'body') return;
    this.phase = 'ended';
    this.signal.removeEventListener('abort', this);
    if (this.wait !== undefined) this.endedAt = performance.now();
    const reading = this.reading;
    if (reading === 'none' || this.resolveRead === undefined) return;
    if (reading === 'chunks') {
      // Chunks still waiting are handed over first; the end is seen by the read after them.
      if (this.queue.length === 0) this.settleRead(DONE);
      return;
    }
    this.count(true);
    if (reading === 'drain') this.finishDrain();
    else this.settleWhole(reading);
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    this.fail(this.mapError(error));
  }

  // --- the request's end ---

  destroy(): void {
    this.dropQueue();
    if (this.phase !== 'body') return;
    this.phase = 'destroyed';
    this.signal.removeEventListener('abort', this);
    const reason = new undiciErrors.RequestAbortedError();
    if (this.reading === 'drain') this.finishDrain();
    else this.rejectPending(this.mapError(reason));
    this.abortRequest(reason);
  }

  private fail(error: GatewayError): void {
    const phase = this.phase;
    if (phase !== 'waiting' && phase !== 'body') return;
    this.phase = 'failed';
    this.error = error;
    this.dropQueue();
    this.signal.removeEventListener('abort', this);
    const rejectResponse = this.rejectResponse;
    this.resolveResponse = undefined;
    this.rejectResponse = undefined;
    if (rejectResponse !== undefined) rejectResponse(error);
    else if (this.reading === 'drain') this.finishDrain();
    else this.rejectPending(error);
  }

  private abortRequest(reason: Error): void {
    const controller = this.controller;
    if (controller !== null && !controller.aborted) controller.abort(reason);
  }

  /**
   * Adds this request's wait to the clock once: for a whole read, from the request's leaving whole
   * (or its dispatch, when it had to connect) to its last byte; for chunks, from the dispatch to now.
   */
  protected count(whole: boolean): void {
    const wait = this.wait;
    if (this.counted || wait === undefined) return;
    this.counted = true;
    wait.ms += whole ? upstreamWaitMs(this, this.startedAt, this.endedAt) : performance.now() - this.startedAt;
    wait.reported = true;
  }

  protected mapError(error: unknown): GatewayError {
    const context: TransportErrorContext = { signal: this.signal, timeouts: this.timeouts };
    if (this.proxy !== undefined) context.proxy = this.proxy;
    return mapTransportError(error, this.url, context);
  }
}
