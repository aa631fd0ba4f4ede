/** Server-sent event framing for what llmux sends to clients. */

/** `data: <json>\n\n`, the form OpenAI streams use. `data` must not contain a line break. */
export function encodeSseData(data: string): string {
  return 'data: ' + data + '\n\n';
}

/** `event: <name>\ndata: <json>\n\n`, the form Anthropic streams use. */
export function encodeSseEvent(event: string, data: string): string {
  return 'event: ' + event + '\ndata: ' + data + '\n\n';
}

export const SSE_CONTENT_TYPE = 'text/event-stream; charset=utf-8';
