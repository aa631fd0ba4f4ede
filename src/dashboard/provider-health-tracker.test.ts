import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutcomeHub } from '../observability/outcome-hub.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import { ProviderHealthTracker } from './provider-health-tracker.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function outcome(startedAt: number, status: number): RequestOutcome {
  return {
    requestId: `r-${startedAt}`,
    startedAt,
    protocol: 'openai',
    route: '/v1/chat/completions',
    attempts: [{ provider: 'p', providerType: 'cerebras', model: 'u', status, ms: 5 }],
    status,
    result: status < 400 ? 'success' : 'error',
    streamed: false,
    totalMs: 7,
    overheadMs: 0.4,
    bytesOut: 10,
    degraded: [],
  };
}

test("a provider's attempts and failures count over the last hour, to the minute", () => {
  let now = 10 * HOUR;
  const tracker = new ProviderHealthTracker(new OutcomeHub(), () => now);
  tracker.observe(outcome(now - HOUR - 2 * MINUTE, 502)); // over an hour ago: not counted
  tracker.observe(outcome(now - 30 * MINUTE, 200));
  tracker.observe(outcome(now - 30 * MINUTE + 1, 429));
  tracker.observe(outcome(now - 1, 200));
  tracker.observe(outcome(now, 500));
  let health = tracker.health('p');
  assert.deepEqual([health.attemptsLastHour, health.failuresLastHour], [4, 2]);
  assert.deepEqual(health.recentFailures.map((failure) => failure.status), [500, 429, 502]);
  assert.equal(health.lastSuccessAt, now - 1);
  assert.deepEqual([tracker.health('unknown').attemptsLastHour, tracker.health('unknown').failuresLastHour], [0, 0]);

  // 45 minutes later the attempts from 30 minutes before have left the hour; a request that
  // started over an hour ago and ends now leaves the newer minute it shares a slot with alone.
  now += 45 * MINUTE;
  tracker.observe(outcome(now, 200));
  tracker.observe(outcome(now - HOUR - MINUTE, 503));
  health = tracker.health('p');
  assert.deepEqual([health.attemptsLastHour, health.failuresLastHour], [3, 1]);

  // Two hours on, nothing is left.
  now += 2 * HOUR;
  health = tracker.health('p');
  assert.deepEqual([health.attemptsLastHour, health.failuresLastHour], [0, 0]);
});
