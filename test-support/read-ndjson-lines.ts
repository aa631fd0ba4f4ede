import assert from 'node:assert/strict';

/** An NDJSON body read strictly: `application/x-ndjson`, each line one JSON object and a newline. */
export function readNdjsonLines(body: string, contentType: string | null): Record<string, unknown>[] {
  assert.match(contentType ?? '', /^application\/x-ndjson/);
  assert.ok(body.endsWith('\n'), 'an NDJSON body ends with a newline');
  return body
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const value = JSON.parse(line) as unknown;
      assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `one JSON object per line: ${line}`);
      return value as Record<string, unknown>;
    });
}
