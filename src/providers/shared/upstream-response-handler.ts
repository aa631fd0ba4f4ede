import { errors as undiciErrors, type Dispatcher } from 'undici';
import type { GatewayError } from '../../canonical/gateway-error.ts';
import type { UpstreamTimeouts } from '../../wire/create-upstream-dispatcher.ts';
import { decodeUpstreamBody, joinChunks } from './decode-upstream-body.ts';
import { mapTransportError, type TransportErrorContext } from './map-transport-error.ts';
import type { UpstreamBody } from './upstream-body.ts';
import { UpstreamChunkIterator } from './upstream-chunk-iterator.ts';
import type { UpstreamResponse } from './upstream-http-client.ts';
import { upstreamWaitMs, type UpstreamWait, type WireTimes } from './upstream-wait.ts';

/** Bytes held for a reader that has not asked for them before the connection is paused (a Node stream's default). */
const HIGH_WATER_MARK_BYTES = 64 * 1024;
/** undici's own default: past it, closing the connection is cheaper than reading on. */
const DEFAULT_DRAIN_LIMIT_BYTES = 128 * 1024;
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const RESOLVED = Promise.resolve();

/** waiting → body → ended | failed | destroyed; failed can also follow waiting. */
type Phase = 'waiting' | 'body' | 'ended' | 'failed' | 'destroyed';
type Reading = 'none' | 'text' | 'json' | 'bytes' | 'chunks' | 'drain';

/**
 * One upstream request as undici's dispatch handler, and its answer's body as llmux's UpstreamBody:
 * no Node Readable, no BodyReadable, no ticks of their own. The response settles at the headers;
 * the body's chunks go straight to whoever reads them: collected and decoded once at the end for
 * `text`/`json`/`bytes`, handed one by one to `chunks()` (the connection is paused while more than
 * 64 KB wait unread), counted and dropped for `drain`. The request's signal aborts it at any point
 * (the connection closes, so the upstream stops generating). Every failure reaches the reader as
 * mapTransportError made it. It is also the request's WireTimes for the wait clock: `sentAt` from
 * onRequestSent, `endedAt` from onResponseEnd, `connecting` from the dispatch (see dispatchNotingConnect).
 */
export class UpstreamResponseHandler implements Dispatcher.DispatchHandler, UpstreamBody, WireTimes {
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
  private controller: Dispatcher.DispatchController | null = null;
  private phase: Phase = 'waiting';
  private reading: Reading = 'none';
  private error: GatewayError | undefined;
  private resolveResponse: ((response: UpstreamResponse) => void) | undefined;
  private rejectResponse: ((error: Error) => void) | undefined;
  /** The one read in progress (whole body, next chunk or drain). */
  private resolveRead: ((value: unknown) => void) | undefined;
  private rejectRead: ((error: Error) => void) | undefined;
  /** Chunks received and not read yet. */
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private receivedBytes = 0;
  private contentLength = Number.NaN;
  private drainLimit = 0;
  private drainDeadline: { signal: AbortSignal; listener: () => void } | undefined;
  /** A hand-over of queued chunks to a waiting chunk reader is scheduled (see onResponseData). */
  private handOverQueued = false;
  private handOverBound: (() => void) | undefined;
  private counted: boolean;

  constructor(url: string, signal: AbortSignal, timeouts: UpstreamTimeouts, proxy: string | undefined, wait: UpstreamWait | undefined, startedAt: number) {
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

  // --- the reader's side (UpstreamBody) ---

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.startChunks(true);
  }

  chunks(): AsyncIterable<Uint8Array> {
    return this.startChunks(false);
  }

  text(): Promise<string> {
    return this.readWhole('text') as Promise<string>;
  }

  json(): Promise<unknown> {
    return this.readWhole('json');
  }

  bytes(): Promise<Uint8Array> {
    return this.readWhole('bytes') as Promise<Uint8Array>;
  }

  drain(options: { limitBytes?: number; signal?: AbortSignal } = {}): Promise<void> {
    this.dropQueue();
    if (this.phase === 'ended') this.count(true);
    if (this.phase !== 'body' || this.reading === 'drain') return RESOLVED;
    // A whole read in progress takes the rest anyway; a chunk reader waiting is told the body ended.
    if (this.resolveRead !== undefined) {
      if (this.reading !== 'chunks') return RESOLVED;
      this.settleRead(DONE);
    }
    const limit = options.limitBytes ?? DEFAULT_DRAIN_LIMIT_BYTES;
    const signal = options.signal;
    // What is left is known to be too long, or there is no time to read it: closing is cheaper.
    if (signal?.aborted === true || this.contentLength - this.receivedBytes > limit) {
      this.destroy();
      return RESOLVED;
    }
    this.reading = 'drain';
    this.drainLimit = this.receivedBytes + limit;
    const drained = this.pendingRead() as Promise<void>;
    if (signal !== undefined) {
      // Only drains with a deadline pay for a listener of their own.
      const deadline = { signal, listener: (): void => this.destroy() };
      this.drainDeadline = deadline;
      signal.addEventListener('abort', deadline.listener, { once: true });
    }
    this.controller?.resume();
    return drained;
  }

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

  /** The next chunk for an UpstreamChunkIterator. */
  nextChunk(): Promise<IteratorResult<Uint8Array>> {
    if (this.queue.length !== 0) return Promise.resolve({ done: false, value: this.takeQueue() });
    switch (this.phase) {
      case 'ended':
        return Promise.resolve(DONE);
      default:
        return this.readOn() as Promise<IteratorResult<Uint8Array>>;
    }
  }

  // --- inside ---

  /** Everything queued, as one chunk (as a Node stream's read() gives it); the connection reads on. */
  private takeQueue(): Buffer {
    const chunk = joinChunks(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.controller?.resume();
    return chunk;
  }

  private handOver(): void {
    this.handOverQueued = false;
    if (this.reading !== 'chunks' || this.resolveRead === undefined || this.queue.length === 0) return;
    this.settleRead({ done: false, value: this.takeQueue() });
  }

  private settleRead(value: unknown): void {
    const resolve = this.resolveRead;
    this.resolveRead = undefined;
    this.rejectRead = undefined;
    resolve?.(value);
  }

  private rejectPending(error: GatewayError): void {
    const reject = this.rejectRead;
    this.resolveRead = undefined;
    this.rejectRead = undefined;
    reject?.(error);
  }

  private settleWhole(kind: 'text' | 'json' | 'bytes'): void {
    try {
      this.settleRead(this.decode(kind));
    } catch (error) {
      this.rejectPending(this.mapError(error));
    }
  }

  /** A drain never rejects: whether read to the end or closed, the connection is dealt with. */
  private finishDrain(): void {
    const deadline = this.drainDeadline;
    this.drainDeadline = undefined;
    deadline?.signal.removeEventListener('abort', deadline.listener);
    this.settleRead(undefined);
  }

  private startChunks(destroyOnReturn: boolean): UpstreamChunkIterator {
    this.count(false);
    if (this.reading === 'none') this.reading = 'chunks';
    return new UpstreamChunkIterator(this, destroyOnReturn);
  }

  private readWhole(kind: 'text' | 'json' | 'bytes'): Promise<unknown> {
    if (this.reading !== 'none') return Promise.reject(this.mapError(new TypeError(`the upstream body is already being read (${this.reading})`)));
    this.reading = kind;
    switch (this.phase) {
      case 'ended': {
        this.count(true);
        const read = this.pendingRead();
        this.settleWhole(kind);
        return read;
      }
      default:
        return this.readOn();
    }
  }

  /** A read of a body not ended yet: its failure, or the connection resumed and the read pending. */
  private readOn(): Promise<unknown> {
    if (this.phase === 'failed') return Promise.reject(this.error);
    if (this.phase === 'destroyed') return Promise.reject(this.mapError(new undiciErrors.RequestAbortedError()));
    this.controller?.resume();
    return this.pendingRead();
  }

  private pendingRead(): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      this.resolveRead = resolve;
      this.rejectRead = reject;
    });
  }

  private decode(kind: 'text' | 'json' | 'bytes'): unknown {
    const value = decodeUpstreamBody(this.queue, this.queuedBytes, kind);
    this.dropQueue();
    return value;
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

  private dropQueue(): void {
    if (this.queue.length === 0) return;
    this.queue = [];
    this.queuedBytes = 0;
  }

  /**
   * Adds this request's wait to the clock once: for a whole read, from the request's leaving whole
   * (or its dispatch, when it had to connect) to its last byte; for chunks, from the dispatch to now.
   */
  private count(whole: boolean): void {
    const wait = this.wait;
    if (this.counted || wait === undefined) return;
    this.counted = true;
    wait.ms += whole ? upstreamWaitMs(this, this.startedAt, this.endedAt) : performance.now() - this.startedAt;
    wait.reported = true;
  }

  private mapError(error: unknown): GatewayError {
    const context: TransportErrorContext = { signal: this.signal, timeouts: this.timeouts };
    if (this.proxy !== undefined) context.proxy = this.proxy;
    return mapTransportError(error, this.url, context);
  }
}
