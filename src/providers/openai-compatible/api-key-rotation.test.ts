import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { ApiKeyRotation } from './api-key-rotation.ts';

describe('ApiKeyRotation', () => {
  it('takes keys in turn, without duplicates or empty keys', () => {
    const keys = new ApiKeyRotation(['a', 'b', '', 'c', 'a']);
    assert.equal(keys.size, 3);
    assert.deepEqual([keys.next(), keys.next(), keys.next(), keys.next()], ['a', 'b', 'c', 'a']);
    assert.equal(new ApiKeyRotation([]).next(), undefined);
  });

  it('rests a refused or rate-limited key, then takes it back', () => {
    let now = 1_000_000;
    const keys = new ApiKeyRotation(['a', 'b', 'c'], () => now);
    keys.reportFailure('a', new GatewayError('authentication', 'bad key'));
    keys.reportFailure('b', new GatewayError('rate_limit', 'slow down', { retryAfterSeconds: 2 }));
    assert.deepEqual([keys.next(), keys.next(), keys.next()], ['c', 'c', 'c']);
    now += 2_000;
    assert.deepEqual([keys.next(), keys.next()], ['b', 'c']);
    now += 5 * 60_000;
    assert.deepEqual([keys.next(), keys.next(), keys.next()], ['a', 'b', 'c']);
  });

  it('ignores failures that say nothing about the key, and goes on when every key rests', () => {
    const keys = new ApiKeyRotation(['a', 'b'], () => 0);
    keys.reportFailure('a', new GatewayError('upstream', 'server fell over'));
    assert.deepEqual([keys.next(), keys.next()], ['a', 'b']);
    keys.reportFailure('a', new GatewayError('permission', 'no'));
    keys.reportFailure('b', new GatewayError('payment_required', 'no credits'));
    assert.deepEqual([keys.next(), keys.next(), keys.next()], ['a', 'b', 'a']);
  });
});
