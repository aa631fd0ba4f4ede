import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryReasoningStateStore } from './in-memory-reasoning-state-store.ts';

const state = (model: string) => ({ providerType: 'anthropic', model, reasoning: [{ type: 'reasoning' as const, text: 't', metadata: { provider: 'anthropic', signature: 's' } }] });

describe('InMemoryReasoningStateStore', () => {
  it('keeps state by tool-call id and by response id', () => {
    const store = new InMemoryReasoningStateStore();
    assert.equal(store.isEmpty, true);
    store.rememberToolCall('call_1', state('m1'));
    store.rememberResponse('resp_1', state('m2'));
    assert.equal(store.isEmpty, false);
    assert.equal(store.recallToolCall('call_1')?.model, 'm1');
    assert.equal(store.recallResponse('resp_1')?.model, 'm2');
    assert.equal(store.recallToolCall('resp_1'), undefined);
  });

  it('is bounded: the least recently used entry goes first', () => {
    const store = new InMemoryReasoningStateStore({ maxEntries: 2 });
    store.rememberToolCall('a', state('a'));
    store.rememberToolCall('b', state('b'));
    assert.equal(store.recallToolCall('a')?.model, 'a');
    store.rememberToolCall('c', state('c'));
    assert.equal(store.recallToolCall('b'), undefined);
    assert.equal(store.recallToolCall('a')?.model, 'a');
    assert.equal(store.recallToolCall('c')?.model, 'c');
  });

  it('forgets entries not used for longer than their time to live', () => {
    let now = 1_000;
    const store = new InMemoryReasoningStateStore({ ttlMs: 100, now: () => now });
    store.rememberToolCall('a', state('a'));
    now += 99;
    assert.equal(store.recallToolCall('a')?.model, 'a');
    now += 99;
    assert.equal(store.recallToolCall('a')?.model, 'a', 'a use renews the time to live');
    now += 101;
    assert.equal(store.recallToolCall('a'), undefined);
  });
});
