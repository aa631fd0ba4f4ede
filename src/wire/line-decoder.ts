/**
 * Bytes → lines, correct across chunk boundaries: a line (or a multi-byte character) split
 * between two chunks is joined before it is yielded. Accepts `\n`, `\r\n` and a lone `\r`
 * as line ends, as the SSE spec requires (https://html.spec.whatwg.org/#parsing-an-event-stream).
 * Lines are yielded without their line ending; a final unterminated line is yielded at the end.
 * A leading byte-order mark is dropped (TextDecoder does it), as the SSE spec asks.
 */
export async function* decodeLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  // Never holds a line break: everything up to the last break has been yielded.
  let pending = '';
  // A chunk ending in '\r' may be the first half of '\r\n': remember to drop a leading '\n'.
  let skipLeadingNewline = false;
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (skipLeadingNewline && text.length > 0) {
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      skipLeadingNewline = false;
    }
    if (text.length === 0) continue;
    // Only the new text can hold a break, so a long line arriving in many chunks is scanned once.
    let start = 0;
    let line = pending;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      yield line + text.slice(start, i);
      line = '';
      if (code === 13) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          skipLeadingNewline = true;
        }
      }
      start = i + 1;
    }
    pending = start === 0 ? line + text : start < length ? text.slice(start) : '';
  }
  pending += decoder.decode();
  if (pending.length > 0) yield pending;
}
