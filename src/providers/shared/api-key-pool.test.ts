import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { ApiKeyPool, apiKeysFromConfig } from './api-key-pool.ts';

describe('ApiKeyPool', () => {
  it('takes keys in turn, without duplicates or blank keys', () => {
    const keys = new ApiKeyPool(['a', 'b', '', ' ', 'c', 'a']);
    assert.equal(keys.size, 3);
    assert.deepEqual([keys.next(), keys.next(), keys.next(), keys.next()], ['a', 'b', 'c', 'a']);
    assert.equal(new ApiKeyPool([]).next(), undefined);
  });

  it('rests a refused or rate-limited key, then takes it back', () => {
    let now = 1_000_000;
    const keys = new ApiKeyPool(['a', 'b', 'c'], () => now);
    keys.reportFailure('a', new GatewayError('authentication', 'bad key'));
    keys.reportFailure('b', new GatewayError('rate_limit', 'slow down', { retryAfterSeconds: 2 }));
    assert.deepEqual([keys.next(), keys.next(), keys.next()], ['c', 'c', 'c']);
    assert.deepEqual(keys.resting(), [
      { key: '#1 …a', until: 1_000_000 + 5 * 60_000, reason: 'refused' },
      { key: '#2 …b', until: 1_002_000, reason: 'rate_limited' },
    ]);
    now += 2_000;
    assert.deepEqual([keys.next(), keys.next()], ['b', 'c']);
    now += 5 * 60_000;
    assert.deepEqual([keys.next(), keys.next(), keys.next()], ['a', 'b', 'c']);
  });

  it('makes a refusal retryable while another key is healthy, final once none is', () => {
    const keys = new ApiKeyPool(['a', 'b'], () => 0);
    const first = keys.reportFailure('a', new GatewayError('authentication', 'bad key'));
    assert.equal(first.retryable, true);
    assert.equal(first.status, 401);
    const second = keys.reportFailure('b', new GatewayError('payment_required', 'no points'));
    assert.equal(second.retryable, false, 'with every key refused, trying again cannot succeed');
    assert.deepEqual([keys.next(), keys.next(), keys.next()], ['a', 'b', 'a'], 'rotation goes on when every key rests');
  });

  it('leaves other errors and single keys alone', () => {
    const single = new ApiKeyPool(['only']);
    assert.equal(single.reportFailure('only', new GatewayError('authentication', 'bad')).retryable, false);
    const keys = new ApiKeyPool(['a', 'b'], () => 0);
    const error = new GatewayError('upstream', 'server fell over');
    assert.equal(keys.reportFailure('a', error), error);
    assert.deepEqual([keys.next(), keys.next()], ['a', 'b']);
  });

  it('passes over a key without the budget for a request, and takes the estimate off at once', () => {
    let now = 0;
    const keys = new ApiKeyPool(['a', 'b'], () => now);
    keys.noteBudget('a', { tokensLeft: 5_000, tokensResetAt: 60_000 });
    assert.deepEqual([keys.next(3_000), keys.next(3_000), keys.next(3_000)], ['a', 'b', 'b'], 'a has 2K left after the first');
    now = 60_000;
    assert.equal(keys.next(3_000), 'a', 'after its reset the old figure no longer counts');
    assert.equal(keys.label('b'), '#2');
  });

  it('rests a key with no requests left until their reset, and a rate-limited key until the reported reset', () => {
    let now = 0;
    const keys = new ApiKeyPool(['a', 'b'], () => now);
    keys.noteBudget('a', { requestsLeft: 0, requestsResetAt: 10_000 });
    assert.deepEqual([keys.next(), keys.next()], ['b', 'b']);
    now = 10_000;
    keys.noteBudget('b', { tokensLeft: 0, tokensResetAt: 40_000 });
    keys.reportFailure('b', new GatewayError('rate_limit', 'Tokens per minute limit exceeded', { code: 'token_quota_exceeded' }));
    assert.deepEqual([keys.next(), keys.next()], ['a', 'a']);
    now = 40_000;
    assert.deepEqual([keys.next(), keys.next()], ['b', 'a']);
  });

  it('keeps a key in use after a queue_exceeded 429 (platform load, not the key)', () => {
    const keys = new ApiKeyPool(['a', 'b'], () => 0);
    keys.reportFailure('a', new GatewayError('rate_limit', "We're experiencing high traffic right now!", { code: 'queue_exceeded' }));
    assert.deepEqual([keys.next(), keys.next()], ['a', 'b']);
  });

  it('merges api_key and api_keys', () => {
    assert.deepEqual(apiKeysFromConfig({ api_key: 'x', api_keys: ['y'] }), ['x', 'y']);
  });
});

describe('ApiKeyPool.withKey', () => {
  it('runs the call with the next key and rests that key when the call was refused', async () => {
    const pool = new ApiKeyPool(['a', 'b']);
    const refused = await pool
      .withKey(async (key) => {
        assert.equal(key, 'a');
        throw new GatewayError('authentication', 'bad key', { upstreamStatus: 401 });
      })
      .catch((error: unknown) => error);
    assert.ok(refused instanceof GatewayError);
    assert.equal(refused.retryable, true, 'retryable while the other key is healthy');
    assert.deepEqual([await pool.withKey(async (key) => key), await pool.withKey(async (key) => key)], ['b', 'b']);
  });
});

describe('ApiKeyPool headroom', () => {
  it('shows what each key has left as the upstream reported it, until it resets', () => {
    let now = 1_000;
    const keys = new ApiKeyPool(['sk-one-aaaa', 'sk-two-bbbb'], () => now);
    keys.noteBudget('sk-two-bbbb', { tokensLeft: 5000, tokensResetAt: 61_000, requestsLeft: 9 });
    assert.deepEqual(keys.headroom(), [{ key: '#2 …bbbb', position: 2, tokensLeft: 5000, tokensResetAt: 61_000, requestsLeft: 9 }]);
    now = 61_000;
    assert.deepEqual(keys.headroom(), [{ key: '#2 …bbbb', position: 2, requestsLeft: 9 }]);
  });
});
