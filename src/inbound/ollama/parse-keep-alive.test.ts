import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { LONGEST_KEEP_ALIVE_MS, parseKeepAlive } from './parse-keep-alive.ts';

describe('parseKeepAlive', () => {
  it('reads numbers as seconds', () => {
    assert.equal(parseKeepAlive(300), 300_000);
    assert.equal(parseKeepAlive(1800), 1_800_000);
    assert.equal(parseKeepAlive(0), 0);
    assert.equal(parseKeepAlive(1.5), 1500);
  });

  it('reads Go duration strings', () => {
    assert.equal(parseKeepAlive('5m'), 300_000);
    assert.equal(parseKeepAlive('1h30m'), 5_400_000);
    assert.equal(parseKeepAlive('300ms'), 300);
    assert.equal(parseKeepAlive('1.5h'), 5_400_000);
    assert.equal(parseKeepAlive('2h45m10s'), 9_910_000);
    assert.equal(parseKeepAlive('0s'), 0);
    assert.equal(parseKeepAlive('0'), 0);
  });

  it('treats anything negative as forever, including the string "-1"', () => {
    assert.equal(parseKeepAlive(-1), Number.POSITIVE_INFINITY);
    assert.equal(parseKeepAlive('-1'), Number.POSITIVE_INFINITY);
    assert.equal(parseKeepAlive('-1m'), Number.POSITIVE_INFINITY);
  });

  it('caps a huge number of seconds at Go\'s longest duration, and refuses a duration string beyond it as Go does', () => {
    assert.equal(parseKeepAlive(1e13), LONGEST_KEEP_ALIVE_MS);
    assert.equal(parseKeepAlive(9_223_372_036), 9_223_372_036_000);
    assert.throws(() => parseKeepAlive('10000000000000s'), /time: invalid duration "10000000000000s"/);
  });

  it('leaves absent and null to the default', () => {
    assert.equal(parseKeepAlive(undefined), undefined);
    assert.equal(parseKeepAlive(null), undefined);
  });

  it('refuses what Go refuses, with its wording', () => {
    assert.throws(() => parseKeepAlive('forever'), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.message === 'time: invalid duration "forever"');
    assert.throws(() => parseKeepAlive('5x'), /time: invalid duration "5x"/);
    assert.throws(() => parseKeepAlive(true), /Unsupported type: 'bool'/);
  });
});
