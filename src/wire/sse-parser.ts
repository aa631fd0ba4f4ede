import type { SseEvent } from './sse-decoder.ts';
import { LineSplitter } from './line-splitter.ts';

/**
 * Bytes → server-sent events, one chunk at a time and synchronously, per
 * https://html.spec.whatwg.org/#parsing-an-event-stream: `:` comments (pings) are skipped, several
 * `data:` lines join with `\n`, one optional space after the colon is removed, and an event is
 * dispatched on a blank line. A last event not followed by a blank line comes from `end()` (some
 * upstreams omit it).
 */
export class SseParser {
  private readonly lines = new LineSplitter();
  private eventName = '';
  private data: string | undefined;
  private id: string | undefined;

  /** The events this chunk completes, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const events: SseEvent[] = [];
    for (const line of this.lines.push(chunk)) this.line(line, events);
    return events;
  }

  /** At the end of the bytes: the last event if no blank line followed it. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    for (const line of this.lines.end()) this.line(line, events);
    if (this.data !== undefined) events.push(this.dispatch());
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line.length === 0) {
      if (this.data !== undefined) events.push(this.dispatch());
      this.eventName = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    // Nearly every line is `data: …`: one slice for it, not three.
    if (line.startsWith('data: ')) {
      const value = line.slice(6);
      this.data = this.data === undefined ? value : this.data + '\n' + value;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data = this.data === undefined ? value : this.data + '\n' + value;
    else if (field === 'event') this.eventName = value;
    else if (field === 'id') this.id = value;
  }

  private dispatch(): SseEvent {
    const event: SseEvent = { event: this.eventName || 'message', data: this.data ?? '' };
    if (this.id !== undefined) event.id = this.id;
    this.eventName = '';
    this.data = undefined;
    return event;
  }
}
