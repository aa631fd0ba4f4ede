import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatOllamaTime, ollamaNow } from './ollama-time.ts';

const SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('Ollama timestamps', () => {
  it('formats with exactly six fractional digits in UTC', () => {
    assert.equal(formatOllamaTime(Date.UTC(2024, 8, 12, 21, 17, 29, 110) + 0.811), '2024-09-12T21:17:29.110811Z');
    assert.equal(formatOllamaTime(Date.UTC(2024, 8, 12, 21, 17, 29, 0)), '2024-09-12T21:17:29.000000Z');
    assert.equal(formatOllamaTime(Date.UTC(2024, 8, 12, 21, 17, 29, 5)), '2024-09-12T21:17:29.005000Z');
    assert.equal(formatOllamaTime(Date.UTC(2024, 8, 12, 21, 17, 29, 999) + 0.999), '2024-09-12T21:17:29.999999Z');
  });

  it('keeps the cached second right when the second changes back and forth', () => {
    const a = Date.UTC(2030, 0, 1, 0, 0, 0, 250);
    assert.equal(formatOllamaTime(a), '2030-01-01T00:00:00.250000Z');
    assert.equal(formatOllamaTime(a + 1000), '2030-01-01T00:00:01.250000Z');
    assert.equal(formatOllamaTime(a), '2030-01-01T00:00:00.250000Z');
  });

  it('gives the current time in the same shape, parseable by Date', () => {
    const now = ollamaNow();
    assert.match(now, SHAPE);
    assert.ok(Math.abs(Date.parse(now) - Date.now()) < 60_000);
  });
});
