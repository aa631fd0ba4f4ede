import { batchedChatStream, type BatchedChatStream } from '../../canonical/chat-event-batches.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { ChatStreamDecoder } from './chat-stream-decoder.ts';
import type { UpstreamBody } from './upstream-body.ts';

export interface UpstreamStreamOptions {
  /** Whether an event is the upstream's last word (its finish, or an error it sent properly). */
  isEnd(event: ChatStreamEvent): boolean;
  /** The most left-over bytes read after the end so that the connection is reused. */
  drainLimitBytes: number;
  /**
   * Wait for the drain before the stream ends, for at most this long (an upstream that ends its
   * body right after its last event); without it the drain runs on after the stream ended.
   */
  drainWaitMs?: number;
}

/**
 * A body decoded chunk by chunk into batches of events (one batch per network chunk that completed
 * any), and what becomes of the connection: once the upstream's last event came, the rest of the
 * body is drained so the keep-alive connection is reused; if the consumer stops early (the client
 * went away) or the body broke off, it is destroyed, which closes the connection and ends
 * generation upstream.
 */
export function streamUpstreamBatches(body: UpstreamBody, decoder: ChatStreamDecoder, options: UpstreamStreamOptions): BatchedChatStream {
  return batchedChatStream(() => new UpstreamBatchReader(body, decoder, options));
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The batches, read by hand rather than by an async generator: one await per network chunk, the
 * decoding synchronous. The connection is released as soon as the last batch is decoded (not when
 * a reader asks past it: readers stop at the terminal event), unless the drain is to be waited for.
 */
class UpstreamBatchReader implements AsyncIterableIterator<ChatStreamEvent[]> {
  private readonly body: UpstreamBody;
  private readonly decoder: ChatStreamDecoder;
  private readonly options: UpstreamStreamOptions;
  private chunks: AsyncIterator<Uint8Array> | undefined;
  /** The upstream's last event came: its connection is drained and reused rather than closed. */
  private ended = false;
  /** No batch is left to read. */
  private done = false;
  private releasing: Promise<void> | undefined;

  constructor(body: UpstreamBody, decoder: ChatStreamDecoder, options: UpstreamStreamOptions) {
    this.body = body;
    this.decoder = decoder;
    this.options = options;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ChatStreamEvent[]>> {
    if (this.done) {
      await this.release();
      return DONE;
    }
    const chunks = (this.chunks ??= this.body.chunks()[Symbol.asyncIterator]());
    let events: ChatStreamEvent[];
    try {
      do {
        const result = await chunks.next();
        if (result.done === true) {
          this.done = true;
          events = this.note(this.decoder.end());
        } else {
          events = this.note(this.decoder.push(result.value));
          if (this.decoder.isEnded) this.done = true;
        }
      } while (events.length === 0 && !this.done);
    } catch (error) {
      this.done = true;
      events = this.decoder.fail(error);
    }
    if (this.done && (!this.ended || this.options.drainWaitMs === undefined)) void this.release();
    if (events.length === 0) {
      await this.release();
      return DONE;
    }
    return { done: false, value: events };
  }

  async return(): Promise<IteratorResult<ChatStreamEvent[]>> {
    this.done = true;
    await this.release();
    return DONE;
  }

  private note(events: ChatStreamEvent[]): ChatStreamEvent[] {
    const last = events[events.length - 1];
    if (last !== undefined && this.options.isEnd(last)) this.ended = true;
    return events;
  }

  private release(): Promise<void> {
    this.releasing ??= this.releaseBody();
    return this.releasing;
  }

  private async releaseBody(): Promise<void> {
    try {
      await this.chunks?.return?.();
    } catch {
      // The body broke: it is destroyed below.
    }
    const { drainLimitBytes, drainWaitMs } = this.options;
    if (!this.ended) this.body.destroy();
    else if (drainWaitMs === undefined) void this.body.drain({ limitBytes: drainLimitBytes });
    else await this.body.drain({ limitBytes: drainLimitBytes, signal: AbortSignal.timeout(drainWaitMs) });
  }
}
