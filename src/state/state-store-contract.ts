import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { KeyNameTakenError, type StoredClientKey } from './client-key-store.ts';
import type { StoredResponse } from './response-store.ts';
import type { StateStore } from './state-store.ts';
import type { UsageRecord } from './usage-record.ts';

/**
 * What every StateStore implementation must do; each implementation's test runs it with a
 * function that opens a fresh, empty store.
 */
export function describeStateStoreContract(name: string, open: () => Promise<StateStore>): void {
  describe(`${name} (state store contract)`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const alice: StoredClientKey = { name: 'alice', prefix: 'llmux-ab12', hash: 'aa'.repeat(32), models: ['qwen3'], rpm: 60, budget: { usd: 25, period: 'month' }, createdAt: 1000 };

    it('keeps keys, refuses a taken name, updates and revokes, and bumps the version on each change', async () => {
      const v0 = await store.keys.version();
      await store.keys.insert(alice);
      const v1 = await store.keys.version();
      assert.notEqual(v1, v0);
      assert.deepEqual(await store.keys.get('alice'), alice);
      await assert.rejects(store.keys.insert({ ...alice, hash: 'bb'.repeat(32) }), KeyNameTakenError);
      const updated = await store.keys.update('alice', { rpm: null, tpm: 1000, budget: { usd: 5, period: 'day' } });
      assert.deepEqual(updated, { name: 'alice', prefix: 'llmux-ab12', hash: 'aa'.repeat(32), models: ['qwen3'], tpm: 1000, budget: { usd: 5, period: 'day' }, createdAt: 1000 });
      const v2 = await store.keys.version();
      assert.notEqual(v2, v1);
      assert.equal(await store.keys.update('nobody', { rpm: 1 }), undefined);
      assert.equal(await store.keys.revoke('alice', 2000), true);
      assert.equal(await store.keys.revoke('alice', 3000), false);
      assert.equal((await store.keys.get('alice'))?.revokedAt, 2000);
      assert.notEqual(await store.keys.version(), v2);
      assert.deepEqual((await store.keys.list()).map((key) => key.name), ['alice']);
    });

    it('keeps one hash secret', async () => {
      const secret = await store.keys.hashSecret();
      assert.equal(secret.length, 32);
      assert.deepEqual(await store.keys.hashSecret(), secret);
    });

    const record = (overrides: Partial<UsageRecord>): UsageRecord => ({
      time: Date.UTC(2026, 0, 1, 12),
      requestId: 'r',
      protocol: 'openai',
      route: '/v1/chat/completions',
      attempts: 1,
      status: 200,
      result: 'success',
      streamed: false,
      inputTokens: 10,
      cachedInputTokens: 2,
      cacheWriteTokens: 0,
      outputTokens: 5,
      reasoningTokens: 1,
      totalMs: 12.5,
      ...overrides,
    });

    it('appends records in batches and sums them by key, model, provider and day', async () => {
      await store.usage.append([
        record({ requestId: 'a', keyName: 'alice', requestedModel: 'qwen3', provider: 'cerebras', upstreamModel: 'q', costUsd: 0.5, ttftMs: 3 }),
        record({ requestId: 'b', keyName: 'alice', requestedModel: 'gpt-4o', provider: 'poe', costUsd: 1.5, streamed: true }),
        record({ requestId: 'c', keyName: 'bob', requestedModel: 'qwen3', provider: 'cerebras', status: 502, result: 'error', time: Date.UTC(2026, 0, 2) }),
      ]);
      await store.usage.append([]);
      assert.equal(await store.usage.count(), 3);
      const byKey = await store.usage.summarize({ by: 'key' });
      assert.deepEqual(byKey, [
        { group: 'alice', requests: 2, errors: 0, inputTokens: 20, cachedInputTokens: 4, outputTokens: 10, reasoningTokens: 2, costUsd: 2, unpriced: 0 },
        { group: 'bob', requests: 1, errors: 1, inputTokens: 10, cachedInputTokens: 2, outputTokens: 5, reasoningTokens: 1, costUsd: 0, unpriced: 1 },
      ]);
      assert.deepEqual((await store.usage.summarize({ by: 'day' })).map((row) => [row.group, row.requests]), [['2026-01-01', 2], ['2026-01-02', 1]]);
      assert.deepEqual((await store.usage.summarize({ by: 'provider', since: Date.UTC(2026, 0, 2) })).map((row) => row.group), ['cerebras']);
      assert.deepEqual((await store.usage.summarize({ by: 'model' })).map((row) => row.group), ['gpt-4o', 'qwen3']);
      assert.equal(await store.usage.spend(0), 2);
      assert.equal(await store.usage.spend(0, 'alice'), 2);
      assert.equal(await store.usage.spend(Date.UTC(2026, 0, 2), 'alice'), 0);
      assert.deepEqual([...(await store.usage.spendByKey(0))], [['alice', 2]]);
      const [newest] = await store.usage.recent(1);
      assert.equal(newest?.requestId, 'c');
      const [first] = await store.usage.recent(1, 0).then(() => store.usage.recent(3));
      assert.equal(first?.requestId, 'c');
      const a = (await store.usage.recent(3)).find((r) => r.requestId === 'a');
      assert.deepEqual(a, record({ requestId: 'a', keyName: 'alice', requestedModel: 'qwen3', provider: 'cerebras', upstreamModel: 'q', costUsd: 0.5, ttftMs: 3 }));
    });

    it('writes every record of a batch of any size, each with its own values', async () => {
      // Sizes around the implementations' statement sizes (SQLite: 64 rows per INSERT), then the rest.
      const sizes = [1, 63, 64, 65, 128, 200];
      let next = 0;
      for (const size of sizes) {
        await store.usage.append(
          Array.from({ length: size }, () => {
            next += 1;
            return record({ requestId: `r${next}`, time: next, outputTokens: next, ...(next % 2 === 0 ? { keyName: `k${next}`, costUsd: next / 1000 } : { ttftMs: next / 10 }) });
          }),
        );
      }
      assert.equal(await store.usage.count(), next);
      const stored = await store.usage.recent(next + 1);
      assert.equal(stored.length, next);
      for (const [index, one] of stored.reverse().entries()) {
        const n = index + 1;
        assert.deepEqual(one, record({ requestId: `r${n}`, time: n, outputTokens: n, ...(n % 2 === 0 ? { keyName: `k${n}`, costUsd: n / 1000 } : { ttftMs: n / 10 }) }));
      }
    });

    const response = (id: string, createdAt: number, text = 'hi', previousResponseId?: string): StoredResponse => ({
      id,
      createdAt,
      ...(previousResponseId === undefined ? {} : { previousResponseId }),
      response: { id, object: 'response', created_at: createdAt, output: [{ type: 'message', content: [{ type: 'output_text', text, annotations: [] }] }], metadata: {} },
      inputItems: [{ id: `msg_${id}`, type: 'message', role: 'user', content: [{ type: 'input_text', text: 'é ☃ 😀' }] }],
    });

    it('keeps responses in batches, replaces one put again, deletes, and prunes the oldest first in steps', async () => {
      await store.responses.putMany([response('resp_1', 1000), response('resp_2', 2000, 'two', 'resp_1'), response('resp_3', 3000)]);
      await store.responses.putMany([]);
      assert.deepEqual(await store.responses.get('resp_2'), response('resp_2', 2000, 'two', 'resp_1'));
      assert.deepEqual(await store.responses.get('resp_1'), response('resp_1', 1000));
      assert.equal(await store.responses.get('resp_unknown'), undefined);
      await store.responses.put(response('resp_1', 1500, 'again'));
      assert.deepEqual(await store.responses.get('resp_1'), response('resp_1', 1500, 'again'));
      assert.equal(await store.responses.count(), 3);
      assert.equal(await store.responses.delete('resp_3'), true);
      assert.equal(await store.responses.delete('resp_3'), false);
      assert.equal(await store.responses.get('resp_3'), undefined);
      await store.responses.put(response('resp_4', 4000));
      // Before 3000 s: resp_1 (1500 s) and resp_2 (2000 s), one per step, oldest first.
      assert.equal(await store.responses.prune(3_000_000, 1), 1);
      assert.equal(await store.responses.get('resp_1'), undefined);
      assert.ok(await store.responses.get('resp_2'));
      assert.equal(await store.responses.prune(3_000_000, 10), 1);
      assert.equal(await store.responses.prune(3_000_000, 10), 0);
      assert.deepEqual(await store.responses.get('resp_4'), response('resp_4', 4000));
      assert.equal(await store.responses.count(), 1);
    });
  });
}
