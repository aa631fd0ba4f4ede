import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { UsageRecord } from '../state/usage-record.ts';
import { UsageRecordQueue } from './usage-record-queue.ts';

/** Records with every optional field present and absent, NaN and zero among the numbers. */
function record(index: number): UsageRecord {
  const made: UsageRecord = {
    time: 1_765_000_000_000 + index,
    requestId: index % 7 === 3 ? `client-id-${index}` : randomUUID(),
    protocol: index % 2 === 0 ? 'openai' : 'ollama',
    route: index % 2 === 0 ? '/v1/chat/completions' : '/api/chat',
    attempts: 1 + (index % 3),
    status: index % 5 === 0 ? 502 : 200,
    result: index % 5 === 0 ? 'error' : 'success',
    streamed: index % 4 === 1,
    inputTokens: index * 3,
    cachedInputTokens: index % 2,
    cacheWriteTokens: 0,
    outputTokens: index * 2 + 0.5,
    reasoningTokens: index % 3,
    totalMs: index / 7,
  };
  if (index % 3 !== 0) made.keyName = `key-${index % 4}`;
  if (index % 6 !== 5) made.requestedModel = `model-${index}`;
  if (index % 5 !== 0) made.provider = 'bench';
  if (index % 5 !== 0) made.upstreamModel = 'llama';
  if (index % 2 === 1) made.ttftMs = index === 9 ? Number.NaN : index / 3;
  if (index % 4 !== 2) made.costUsd = index === 11 ? 0 : index * 1e-6;
  return made;
}

test('the records taken are the records pushed, key for key and in order, across the queue growing', () => {
  const queue = new UsageRecordQueue();
  const pushed = Array.from({ length: 1300 }, (_, index) => record(index));
  for (const one of pushed) queue.push(one);
  assert.equal(queue.length, 1300);
  const taken = queue.take();
  assert.deepEqual(taken, pushed);
  assert.equal(JSON.stringify(taken), JSON.stringify(pushed));
  assert.equal(queue.length, 0);
  assert.deepEqual(queue.take(), []);
});

test('a row reused after a take keeps nothing of the record it held before', () => {
  const queue = new UsageRecordQueue();
  for (let index = 0; index < 20; index++) queue.push(record(index * 6 + 1)); // every optional field present
  queue.take();
  const sparse = Array.from({ length: 20 }, (_, index) => record(index * 30)); // keyName, provider, ttftMs absent
  for (const one of sparse) queue.push(one);
  assert.equal(JSON.stringify(queue.take()), JSON.stringify(sparse));
});
