import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';

/**
 * An upstream stream's bytes → canonical events, one network chunk at a time and synchronously,
 * so that each chunk is decoded, encoded for the client and written in one pass. Once an event
 * ends the stream (`finish` or `error`), `isEnded` is true and nothing more is returned.
 */
export interface ChatStreamDecoder {
  /** The events this chunk completes, in order (often none). */
  push(chunk: Uint8Array | string): ChatStreamEvent[];
  /** The body ended: what is held back, then the finish — or an error if the answer was cut off. */
  end(): ChatStreamEvent[];
  /** Reading the body failed: the terminal event this means (an error, or the finish of a whole answer). */
  fail(error: unknown): ChatStreamEvent[];
  readonly isEnded: boolean;
}

/**
 * A whole body given as chunks, decoded as streamUpstreamBatches reads it: each chunk until the
 * stream ends, then the end of the body. For answers read whole and for tests.
 */
export function decodeChunks(decoder: ChatStreamDecoder, chunks: Iterable<Uint8Array | string>): ChatStreamEvent[] {
  const events: ChatStreamEvent[] = [];
  for (const chunk of chunks) {
    events.push(...decoder.push(chunk));
    if (decoder.isEnded) return events;
  }
  events.push(...decoder.end());
  return events;
}
