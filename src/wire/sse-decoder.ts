import { decodeLines } from './line-decoder.ts';

/** One server-sent event. `event` is `message` when the stream named none. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Bytes → server-sent events, per https://html.spec.whatwg.org/#parsing-an-event-stream:
 * `:` comments (pings) are skipped, several `data:` lines join with `\n`, one optional space after
 * the colon is removed, and an event is dispatched on a blank line. A last event not followed by a
 * blank line is still dispatched when the stream ends (some upstreams omit it).
 */
export async function* decodeSse(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  let eventName = '';
  let data: string | undefined;
  let id: string | undefined;
  for await (const line of decodeLines(chunks)) {
    if (line.length === 0) {
      if (data !== undefined) {
        const event: SseEvent = { event: eventName || 'message', data };
        if (id !== undefined) event.id = id;
        yield event;
      }
      eventName = '';
      data = undefined;
      continue;
    }
    if (line.charCodeAt(0) === 58 /* : */) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data = data === undefined ? value : data + '\n' + value;
    else if (field === 'event') eventName = value;
    else if (field === 'id') id = value;
  }
  if (data !== undefined) {
    const event: SseEvent = { event: eventName || 'message', data };
    if (id !== undefined) event.id = id;
    yield event;
  }
}
