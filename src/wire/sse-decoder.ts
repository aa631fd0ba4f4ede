import { SseParser } from './sse-parser.ts';

/** One server-sent event. `event` is `message` when the stream named none. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Bytes → server-sent events as an async stream (see SseParser for the rules: comments skipped,
 * `data:` lines joined with `\n`, dispatch on a blank line, a last event without one still
 * dispatched when the stream ends).
 */
export async function* decodeSse(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
