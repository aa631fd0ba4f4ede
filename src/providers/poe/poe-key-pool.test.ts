import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { PoeKeyPool, poeKeysFromConfig } from './poe-key-pool.ts';

describe('PoeKeyPool', () => {
  it('hands keys out round-robin', () => {
    const pool = new PoeKeyPool(['a', 'b', 'c']);
    assert.deepEqual([pool.next(), pool.next(), pool.next(), pool.next()], ['a', 'b', 'c', 'a']);
    assert.equal(new PoeKeyPool([]).next(), undefined);
  });

  it('passes over a refused key and makes the refusal retryable while another key is healthy', () => {
    const pool = new PoeKeyPool(['a', 'b']);
    const refused = pool.reportFailure('a', new GatewayError('authentication', 'bad key'));
    assert.equal(refused.retryable, true);
    assert.equal(refused.status, 401);
    assert.deepEqual([pool.next(), pool.next(), pool.next()], ['b', 'b', 'b']);
    const second = pool.reportFailure('b', new GatewayError('payment_required', 'no points'));
    assert.equal(second.retryable, false, 'with every key refused, trying again cannot succeed');
  });

  it('leaves other errors and single keys alone', () => {
    const single = new PoeKeyPool(['only']);
    assert.equal(single.reportFailure('only', new GatewayError('authentication', 'bad')).retryable, false);
    const pool = new PoeKeyPool(['a', 'b']);
    const error = new GatewayError('invalid_request', 'bad request');
    assert.equal(pool.reportFailure('a', error), error);
  });

  it('merges api_key and api_keys without blanks or duplicates', () => {
    assert.deepEqual(poeKeysFromConfig({ api_key: 'x', api_keys: ['y', 'x', ' '] }), ['y', 'x']);
  });
});
