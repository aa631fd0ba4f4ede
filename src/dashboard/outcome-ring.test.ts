import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import { liveOutcomeView } from './live-outcome-view.ts';
import { OutcomeRing } from './outcome-ring.ts';

/** Outcomes that between them have every optional field present and absent. */
function outcomes(): RequestOutcome[] {
  const plain: RequestOutcome = {
    requestId: randomUUID(),
    startedAt: 1_765_000_000_123,
    protocol: 'openai',
    route: '/v1/chat/completions',
    attempts: [{ provider: 'bench', providerType: 'cerebras', model: 'llama-3.3-70b', status: 200, ms: 12.345678 }],
    status: 200,
    result: 'success',
    streamed: false,
    totalMs: 14.25,
    overheadMs: 0.371,
    bytesOut: 512,
    degraded: [],
    requestedModel: 'fast',
    keyName: 'bench',
    provider: 'bench',
    upstreamModel: 'llama-3.3-70b',
    usage: { input: { total: 11 }, output: { total: 7 }, source: 'upstream', raw: { prompt_tokens: 11, completion_tokens: 7 } },
    ttftMs: 13.9,
    upstreamTiming: { queueMs: 0.1, promptMs: 2.5, completionMs: 8, totalMs: 10.6, source: 'upstream' },
  };
  const failedOver: RequestOutcome = {
    requestId: 'client-chosen id ✓',
    startedAt: 1_765_000_000_456,
    protocol: 'anthropic',
    route: '/v1/messages',
    attempts: [
      { provider: 'a', providerType: 'anthropic', model: 'claude', status: 529, ms: 3, errorKind: 'overloaded' },
      { provider: 'a', providerType: 'anthropic', model: 'claude', status: 529, ms: 4, errorKind: 'overloaded' },
      { provider: 'b', providerType: 'openai-compatible', model: 'gpt', status: 200, ms: 30 },
    ],
    status: 200,
    result: 'success',
    streamed: true,
    totalMs: 40,
    overheadMs: 0,
    bytesOut: 0,
    degraded: [{ field: 'top_k', reason: 'not supported by b' }],
    provider: 'b',
    upstreamModel: 'gpt',
    usage: {
      input: { total: 100, cacheRead: 40, cacheWrite: 0 },
      output: { total: 50, reasoning: 20 },
      source: 'counted',
      serverToolRequests: { web_search_requests: 1 },
    },
  };
  const refused: RequestOutcome = {
    requestId: randomUUID().toUpperCase(),
    startedAt: 1_765_000_000_789,
    protocol: 'ollama',
    route: '/api/chat',
    attempts: [{ provider: 'c', providerType: 'ollama', model: 'qwen', status: 503, ms: 1.5, errorKind: 'upstream' }],
    status: 502,
    result: 'error',
    streamed: false,
    totalMs: 2,
    overheadMs: 0.5,
    bytesOut: 120,
    degraded: [],
    provider: 'c',
    upstreamModel: 'qwen',
    errorKind: 'upstream',
    errorMessage: 'the upstream is down',
    upstreamTiming: { queueMs: 0, promptMs: 0, completionMs: 0, totalMs: 1.5, source: 'measured' },
  };
  const aborted: RequestOutcome = {
    requestId: randomUUID(),
    startedAt: 1_765_000_001_000,
    protocol: 'openai',
    route: '/v1/chat/completions',
    attempts: [],
    status: 499,
    result: 'client_abort',
    streamed: true,
    totalMs: 0.25,
    overheadMs: 0.25,
    bytesOut: 0,
    degraded: [],
    requestedModel: 'no-such-model',
  };
  return [plain, failedOver, refused, aborted];
}

test('the views read back are liveOutcomeView of each outcome, key for key and in the same JSON, newest first', () => {
  const kept = outcomes();
  const ring = new OutcomeRing(10);
  for (const outcome of kept) ring.push(outcome);
  assert.equal(ring.length, kept.length);
  const expected = kept.map(liveOutcomeView).reverse();
  const views = ring.views();
  assert.deepEqual(views, expected);
  assert.equal(JSON.stringify(views), JSON.stringify(expected));
});

test('once full, each outcome takes the place of the oldest, and a slot keeps nothing of the outcome it held before', () => {
  const kept = outcomes();
  const ring = new OutcomeRing(3);
  const pushed: RequestOutcome[] = [];
  // Every order of the shapes through every slot: a slot that held a fuller outcome must not show its fields later.
  for (let round = 0; round < 5; round++) {
    for (const outcome of round % 2 === 0 ? kept : [...kept].reverse()) {
      const copy = { ...outcome, requestId: outcome.requestId.startsWith('client') ? `${outcome.requestId}-${round}` : randomUUID() };
      ring.push(copy);
      pushed.push(copy);
      const expected = pushed.slice(-3).map(liveOutcomeView).reverse();
      assert.equal(JSON.stringify(ring.views()), JSON.stringify(expected));
    }
  }
  assert.equal(ring.length, 3);
});

test('a request id is kept as it came, whatever its form', () => {
  const ring = new OutcomeRing(8);
  const ids = [randomUUID(), randomUUID().toUpperCase(), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff', 'abc', '', '0123456789abcdef0123456789abcdef0123'];
  const [template] = outcomes() as [RequestOutcome];
  for (const requestId of ids) ring.push({ ...template, requestId });
  assert.deepEqual(
    ring.views().map((view) => view.requestId),
    [...ids].reverse(),
  );
});
