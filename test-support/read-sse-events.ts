import assert from 'node:assert/strict';

/**
 * A server-sent-events body read strictly: content type `text/event-stream`, events separated by
 * a blank line, every line `event: …` or `data: …`, the body ending with the blank line.
 */
export function readSseEvents(body: string, contentType: string | null): { event?: string; data: string }[] {
  assert.match(contentType ?? '', /^text\/event-stream/);
  assert.ok(body.endsWith('\n\n'), `an SSE body ends with a blank line: ${JSON.stringify(body.slice(-40))}`);
  return body
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const event: { event?: string; data: string } = { data: '' };
      for (const line of block.split('\n')) {
        const match = /^(event|data): (.*)$/.exec(line);
        assert.ok(match !== null, `an SSE line: ${JSON.stringify(line)}`);
        if (match[1] === 'event') event.event = match[2] as string;
        else event.data = match[2] as string;
      }
      return event;
    });
}
