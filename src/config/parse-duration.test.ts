import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from './parse-duration.ts';

describe('parseDuration', () => {
  it('reads a number and a unit (minutes, hours, days, weeks) into milliseconds', () => {
    assert.equal(parseDuration('30d'), 30 * 86_400_000);
    assert.equal(parseDuration(' 12H '), 12 * 3_600_000);
    assert.equal(parseDuration('90m'), 90 * 60_000);
    assert.equal(parseDuration('2w'), 14 * 86_400_000);
    assert.equal(parseDuration('1.5d'), 36 * 3_600_000);
  });

  it('gives undefined for anything else', () => {
    for (const text of ['', '30', 'd', '30s', '-1d', 'forever', '30 days']) assert.equal(parseDuration(text), undefined, text);
  });
});
