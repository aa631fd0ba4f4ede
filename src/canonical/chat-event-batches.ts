import type { ChatStreamEvent } from './chat-stream-event.ts';

/**
 * A canonical stream read in batches: each batch is what one upstream network chunk decoded to,
 * so that it is encoded for the client and written in one pass. A provider stream that can be
 * read this way (`batches()`) still reads as single events too; only one of the two is read.
 */
export interface BatchedChatStream extends AsyncIterable<ChatStreamEvent> {
  batches(): AsyncIterable<ChatStreamEvent[]>;
}

/** A stream whose source produces batches, readable either way. */
export function batchedChatStream(source: () => AsyncIterable<ChatStreamEvent[]>): BatchedChatStream {
  return new SourcedChatStream(source);
}

/**
 * A class rather than an object literal: a literal with a computed `[Symbol.asyncIterator]` key
 * takes V8's slow path each time it is made, and one is made per stream.
 */
class SourcedChatStream implements BatchedChatStream {
  readonly batches: () => AsyncIterable<ChatStreamEvent[]>;

  constructor(source: () => AsyncIterable<ChatStreamEvent[]>) {
    this.batches = source;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatStreamEvent> {
    return eventsOf(this.batches())[Symbol.asyncIterator]();
  }
}

/**
 * A provider's stream as batches: its own when it has them, otherwise one batch per event (a
 * stream that is not decoded from upstream chunks, e.g. a whole answer replayed as a stream).
 */
export function chatEventBatches(stream: AsyncIterable<ChatStreamEvent>): AsyncIterable<ChatStreamEvent[]> {
  if (isBatched(stream)) return stream.batches();
  return singleEventBatches(stream);
}

async function* singleEventBatches(stream: AsyncIterable<ChatStreamEvent>): AsyncGenerator<ChatStreamEvent[]> {
  for await (const event of stream) yield [event];
}

async function* eventsOf(batches: AsyncIterable<ChatStreamEvent[]>): AsyncGenerator<ChatStreamEvent> {
  for await (const batch of batches) yield* batch;
}

function isBatched(stream: AsyncIterable<ChatStreamEvent>): stream is BatchedChatStream {
  return typeof (stream as Partial<BatchedChatStream>).batches === 'function';
}
