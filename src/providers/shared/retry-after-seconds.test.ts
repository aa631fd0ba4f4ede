import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryAfterSeconds } from './retry-after-seconds.ts';

describe('retryAfterSeconds', () => {
  it('reads seconds, milliseconds and HTTP dates, and ignores junk', () => {
    assert.equal(retryAfterSeconds({ 'retry-after-ms': '1500', 'retry-after': '9' }), 1.5);
    assert.equal(retryAfterSeconds({ 'retry-after': '-5' }), 0);
    assert.equal(retryAfterSeconds({ 'retry-after': '0' }), 0);
    assert.equal(retryAfterSeconds({ 'retry-after': ['3', '4'] }), 3);
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const fromDate = retryAfterSeconds({ 'retry-after': inOneMinute }) ?? -1;
    assert.ok(fromDate > 0 && fromDate <= 60, String(fromDate));
    assert.equal(retryAfterSeconds({ 'retry-after': 'soon' }), undefined);
    assert.equal(retryAfterSeconds({ 'retry-after': '' }), undefined);
    assert.equal(retryAfterSeconds({}), undefined);
  });
});
