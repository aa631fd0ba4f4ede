import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { UsageRecord } from '../state/usage-record.ts';
import type { UsageStore } from '../state/usage-store.ts';
import { BudgetGuard } from './budget-guard.ts';
import { PriceTable } from './price-table.ts';
import { UsageRecorder } from './usage-recorder.ts';

const quiet = { warn() {}, error() {}, info() {}, debug() {}, child: () => quiet } as unknown as FastifyBaseLogger;

function outcome(index: number): RequestOutcome {
  return {
    requestId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    startedAt: 1_765_000_000_000 + index,
    protocol: 'openai',
    route: '/v1/chat/completions',
    attempts: [{ provider: 'p', providerType: 'cerebras', model: 'm', status: 200, ms: 3 }],
    status: 200,
    result: 'success',
    streamed: false,
    totalMs: 4.256,
    overheadMs: 0.2,
    bytesOut: 10,
    degraded: [],
    keyName: 'k',
    provider: 'p',
    upstreamModel: 'm',
    usage: { input: { total: 10 }, output: { total: 5 }, source: 'upstream' },
  };
}

test('a batch whose write failed is written again first, before what was queued since, and nothing is written twice', async () => {
  const written: UsageRecord[][] = [];
  let failNext = true;
  const store = {
    async append(records: readonly UsageRecord[]) {
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      written.push([...records]);
    },
  } as unknown as UsageStore;
  const recorder = new UsageRecorder({ store, prices: new PriceTable({}), budgets: new BudgetGuard(undefined, quiet), log: quiet, budgetOf: () => undefined });
  const outcomes = Array.from({ length: 6 }, (_, index) => outcome(index));
  for (const one of outcomes.slice(0, 3)) recorder.record(one);
  await recorder.flush();
  assert.equal(recorder.queueDepth, 3);
  assert.equal(recorder.recordsWritten, 0);
  for (const one of outcomes.slice(3)) recorder.record(one);
  assert.equal(recorder.queueDepth, 6);
  await recorder.close();
  assert.deepEqual(
    written.map((batch) => batch.map((record) => record.requestId)),
    [outcomes.map((one) => one.requestId)],
  );
  assert.deepEqual(written[0]?.[0], { time: 1_765_000_000_000, requestId: outcomes[0]?.requestId, protocol: 'openai', route: '/v1/chat/completions', attempts: 1, status: 200, result: 'success', streamed: false, inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0, totalMs: 4.26, keyName: 'k', provider: 'p', upstreamModel: 'm' });
  assert.equal(recorder.recordsWritten, 6);
  assert.equal(recorder.queueDepth, 0);
});

test('an upstream model with no price is warned about once per provider and model, and recorded without a cost', async () => {
  const warnings: string[] = [];
  const log = { ...quiet, warn: (_fields: object, message: string) => void warnings.push(message) } as unknown as FastifyBaseLogger;
  const written: UsageRecord[] = [];
  const store = { append: async (records: readonly UsageRecord[]) => void written.push(...records) } as unknown as UsageStore;
  const recorder = new UsageRecorder({ store, prices: new PriceTable({}), budgets: new BudgetGuard(undefined, quiet), log, budgetOf: () => undefined });
  const on = (index: number, provider: string, upstreamModel: string): RequestOutcome => ({ ...outcome(index), provider, upstreamModel });
  for (const [index, [provider, model]] of [['p', 'm'], ['p', 'm'], ['p', 'n'], ['q', 'm'], ['q', 'm'], ['p', 'n']].entries()) recorder.record(on(index, provider as string, model as string));
  await recorder.close();
  assert.deepEqual(warnings, ['p/m', 'p/n', 'q/m'].map((model) => `no price known for ${model}: its usage is recorded without a cost (add it under prices: in the config)`));
  assert.equal(written.length, 6);
  assert.ok(written.every((record) => record.costUsd === undefined));
});
