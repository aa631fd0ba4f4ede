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
  return batchedChatStream(() => decodeBatches(body, decoder, options));
}

async function* decodeBatches(body: UpstreamBody, decoder: ChatStreamDecoder, options: UpstreamStreamOptions): AsyncGenerator<ChatStreamEvent[]> {
  let ended = false;
  const note = (events: ChatStreamEvent[]): ChatStreamEvent[] => {
    const last = events[events.length - 1];
    if (last !== undefined && options.isEnd(last)) ended = true;
    return events;
  };
  try {
    let broken = false;
    try {
      for await (const chunk of body.chunks()) {
        const events = note(decoder.push(chunk));
        if (events.length > 0) yield events;
        if (decoder.isEnded) return;
      }
    } catch (error) {
      broken = true;
      const events = decoder.fail(error);
      if (events.length > 0) yield events;
    }
    if (!broken) {
      const events = note(decoder.end());
      if (events.length > 0) yield events;
    }
  } finally {
    if (!ended) body.destroy();
    else if (options.drainWaitMs === undefined) void body.drain({ limitBytes: options.drainLimitBytes });
    else await body.drain({ limitBytes: options.drainLimitBytes, signal: AbortSignal.timeout(options.drainWaitMs) });
  }
}
