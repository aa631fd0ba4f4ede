import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { UsageRecord } from '../state/usage-record.ts';
import { UsageRecordQueue } from './usage-record-queue.ts';

/** Outcomes with every optional field present and absent, fractions, NaN and zero among the numbers. */
function outcome(index: number): RequestOutcome {
  const made: RequestOutcome = {
    requestId: index % 7 === 3 ? `client-id-${index}` : randomUUID(),
    startedAt: 1_765_000_000_000 + index,
    protocol: index % 2 === 0 ? 'openai' : 'ollama',
    route: index % 2 === 0 ? '/v1/chat/completions' : '/api/chat',
    attempts: Array.from({ length: index % 3 }, () => ({ provider: 'bench', providerType: 'cerebras', model: 'llama', status: 200, ms: 1 })),
    status: index % 5 === 0 ? 502 : 200,
    result: index % 5 === 0 ? 'error' : 'success',
    streamed: index % 4 === 1,
    totalMs: index / 7,
    overheadMs: 0.1,
    bytesOut: 10,
    degraded: [],
  };
  if (index % 3 !== 0) made.keyName = `key-${index % 4}`;
  if (index % 6 !== 5) made.requestedModel = `model-${index}`;
  if (index % 5 !== 0) made.provider = 'bench';
  if (index % 5 !== 0) made.upstreamModel = 'llama';
  if (index % 2 === 1) made.ttftMs = index === 9 ? Number.NaN : index / 3;
  if (index % 4 !== 3) {
    made.usage = index % 8 === 0 ? { input: { total: index * 3 }, output: { total: index }, source: 'upstream' } : { input: { total: index * 3, cacheRead: index, cacheWrite: 1 }, output: { total: index * 2, reasoning: index % 3 }, source: 'counted', raw: { any: 'thing' } };
  }
  return made;
}

function cost(index: number): number | undefined {
  return index % 4 === 2 ? undefined : index === 11 ? 0 : index * 1e-6;
}

/** What the usage log has always recorded of an outcome (times to the hundredth of a millisecond). */
function expectedRecord(outcome: RequestOutcome, costUsd: number | undefined): UsageRecord {
  const usage = outcome.usage;
  const record: UsageRecord = {
    time: outcome.startedAt,
    requestId: outcome.requestId,
    protocol: outcome.protocol,
    route: outcome.route,
    attempts: outcome.attempts.length,
    status: outcome.status,
    result: outcome.result,
    streamed: outcome.streamed,
    inputTokens: usage?.input.total ?? 0,
    cachedInputTokens: usage?.input.cacheRead ?? 0,
    cacheWriteTokens: usage?.input.cacheWrite ?? 0,
    outputTokens: usage?.output.total ?? 0,
    reasoningTokens: usage?.output.reasoning ?? 0,
    totalMs: Math.round(outcome.totalMs * 100) / 100,
  };
  if (outcome.keyName !== undefined) record.keyName = outcome.keyName;
  if (outcome.requestedModel !== undefined) record.requestedModel = outcome.requestedModel;
  if (outcome.provider !== undefined) record.provider = outcome.provider;
  if (outcome.upstreamModel !== undefined) record.upstreamModel = outcome.upstreamModel;
  if (outcome.ttftMs !== undefined) record.ttftMs = Math.round(outcome.ttftMs * 100) / 100;
  if (costUsd !== undefined) record.costUsd = costUsd;
  return record;
}

test('the records taken are the outcomes pushed, key for key and in order, across the queue growing', () => {
  const queue = new UsageRecordQueue();
  const pushed = Array.from({ length: 1300 }, (_, index) => outcome(index));
  for (const [index, one] of pushed.entries()) queue.push(one, cost(index));
  assert.equal(queue.length, 1300);
  const expected = pushed.map((one, index) => expectedRecord(one, cost(index)));
  const taken = queue.take();
  assert.deepEqual(taken, expected);
  assert.equal(JSON.stringify(taken), JSON.stringify(expected));
  assert.equal(queue.length, 0);
  assert.deepEqual(queue.take(), []);
});

test('a row reused after a take keeps nothing of the record it held before', () => {
  const queue = new UsageRecordQueue();
  for (let index = 0; index < 20; index++) queue.push(outcome(index * 12 + 1), 1); // every optional field present
  queue.take();
  const sparse = Array.from({ length: 20 }, (_, index) => outcome(index * 60)); // keyName, provider, ttftMs, usage absent
  for (const one of sparse) queue.push(one, undefined);
  assert.equal(JSON.stringify(queue.take()), JSON.stringify(sparse.map((one) => expectedRecord(one, undefined))));
});
