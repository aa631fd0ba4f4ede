/**
 * Server-sent event framing for what llmux sends to clients. U+2028/U+2029 in the JSON are
 * escaped: a client splitting lines like Python's `str.splitlines()` would break there.
 */
import { escapeLineSeparators } from './escape-line-separators.ts';

/** `data: <json>\n\n`, the form OpenAI streams use. `data` must not contain a line break. */
export function encodeSseData(data: string): string {
  return 'data: ' + escapeLineSeparators(data) + '\n\n';
}

/** `event: <name>\ndata: <json>\n\n`, the form Anthropic streams use. */
export function encodeSseEvent(event: string, data: string): string {
  return 'event: ' + event + '\ndata: ' + escapeLineSeparators(data) + '\n\n';
}

export const SSE_CONTENT_TYPE = 'text/event-stream; charset=utf-8';
