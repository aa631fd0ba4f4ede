import type { Dispatcher } from 'undici';
import { errors as undiciErrors } from 'undici';
import type { GatewayError } from '../../canonical/gateway-error.ts';
import { decodeUpstreamBody, joinChunks } from './decode-upstream-body.ts';
import type { UpstreamBody } from './upstream-body.ts';
import { UpstreamChunkIterator, type ChunkSource } from './upstream-chunk-iterator.ts';

/** undici's own default: past it, closing the connection is cheaper than reading on. */
const DEFAULT_DRAIN_LIMIT_BYTES = 128 * 1024;
export const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const RESOLVED = Promise.resolve();

/** waiting → body → ended | failed | destroyed; failed can also follow waiting. */
export type Phase = 'waiting' | 'body' | 'ended' | 'failed' | 'destroyed';
export type Reading = 'none' | 'text' | 'json' | 'bytes' | 'chunks' | 'drain';

/**
 * The reader's side of an upstream answer's body (UpstreamBody): the chunks received and not read
 * yet, and the one read waiting for them (whole body, next chunk or drain). What fills the queue,
 * and how a failure is named and the connection closed, is the dispatch handler's side
 * (UpstreamResponseHandler), its subclass: both sides are one object per request, so no body
 * object of its own is made for each answer.
 */
export abstract class UpstreamBodyReader implements UpstreamBody, ChunkSource {
  protected controller: Dispatcher.DispatchController | null = null;
  protected phase: Phase = 'waiting';
  protected reading: Reading = 'none';
  protected error: GatewayError | undefined;
  /** The one read in progress (whole body, next chunk or drain). */
  protected resolveRead: ((value: unknown) => void) | undefined;
  protected rejectRead: ((error: Error) => void) | undefined;
  /** Chunks received and not read yet. */
  protected queue: Buffer[] = [];
  protected queuedBytes = 0;
  protected receivedBytes = 0;
  protected contentLength = Number.NaN;
  protected drainLimit = 0;
  private drainDeadline: { signal: AbortSignal; listener: () => void } | undefined;
  /** A hand-over of queued chunks to a waiting chunk reader is scheduled (see UpstreamResponseHandler.onResponseData). */
  protected handOverQueued = false;
  protected handOverBound: (() => void) | undefined;

  /** Closes the connection at once (UpstreamBody.destroy). */
  abstract destroy(): void;

  /** Any failure as the GatewayError its request names. */
  protected abstract mapError(error: unknown): GatewayError;

  /** Adds the request's wait to the clock, once (`whole`: the body was read to its end). */
  protected abstract count(whole: boolean): void;

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

  /** Everything queued, as one chunk (as a Node stream's read() gives it); the connection reads on. */
  private takeQueue(): Buffer {
    const chunk = joinChunks(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.controller?.resume();
    return chunk;
  }

  protected handOver(): void {
    this.handOverQueued = false;
    if (this.reading !== 'chunks' || this.resolveRead === undefined || this.queue.length === 0) return;
    this.settleRead({ done: false, value: this.takeQueue() });
  }

  protected settleRead(value: unknown): void {
    const resolve = this.resolveRead;
    this.resolveRead = undefined;
    this.rejectRead = undefined;
    resolve?.(value);
  }

  protected rejectPending(error: GatewayError): void {
    const reject = this.rejectRead;
    this.resolveRead = undefined;
    this.rejectRead = undefined;
    reject?.(error);
  }

  protected settleWhole(kind: 'text' | 'json' | 'bytes'): void {
    try {
      this.settleRead(this.decode(kind));
    } catch (error) {
      this.rejectPending(this.mapError(error));
    }
  }

  /** A drain never rejects: whether read to the end or closed, the connection is dealt with. */
  protected finishDrain(): void {
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

  protected dropQueue(): void {
    if (this.queue.length === 0) return;
    this.queue = [];
    this.queuedBytes = 0;
  }
}
