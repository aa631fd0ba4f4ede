/**
 * Bytes → lines, one chunk at a time and synchronously, correct across chunk boundaries: a line
 * (or a multi-byte character) split between two chunks is joined before it is returned. Accepts
 * `\n`, `\r\n` and a lone `\r` as line ends, as the SSE spec requires
 * (https://html.spec.whatwg.org/#parsing-an-event-stream). Lines come without their line ending;
 * a final unterminated line comes from `end()`. A leading byte-order mark is dropped (TextDecoder
 * does it), as the SSE spec asks.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  /** Never holds a line break: everything up to the last break has been returned. */
  private pending = '';
  /** A chunk ending in '\r' may be the first half of '\r\n': drop a leading '\n' next time. */
  private skipLeadingNewline = false;

  /** The lines this chunk completes, in order (often none or one). */
  push(chunk: Uint8Array | string): string[] {
    const lines: string[] = [];
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.skipLeadingNewline && text.length > 0) {
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      this.skipLeadingNewline = false;
    }
    if (text.length === 0) return lines;
    // Only the new text can hold a break, so a long line arriving in many chunks is scanned once;
    // indexOf scans natively, several times faster per character than a charCodeAt loop.
    let start = 0;
    let line = this.pending;
    const length = text.length;
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (lf !== -1 || cr !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      lines.push(line + text.slice(start, end));
      line = '';
      if (end === lf) start = end + 1;
      else if (end + 1 < length) start = text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      else {
        start = length;
        this.skipLeadingNewline = true;
      }
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    }
    this.pending = start === 0 ? line + text : start < length ? text.slice(start) : '';
    return lines;
  }

  /** At the end of the bytes: the last line if it had no line ending. */
  end(): string[] {
    const last = this.pending + this.decoder.decode();
    this.pending = '';
    return last.length > 0 ? [last] : [];
  }
}
