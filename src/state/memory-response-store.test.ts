import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryResponseStore } from './memory-response-store.ts';
import type { StoredResponse } from './response-store.ts';

function entry(id: string, text = 'hello'): StoredResponse {
  return { id, createdAt: 1_700_000_000, response: { id, object: 'response', output: [{ type: 'message', content: [{ type: 'output_text', text }] }] }, inputItems: [{ id: `msg_${id}`, type: 'message', role: 'user', content: [] }] };
}

describe('MemoryResponseStore', () => {
  it('returns what was put, as a copy the caller cannot change', async () => {
    const store = new MemoryResponseStore();
    const stored = entry('resp_1');
    await store.put(stored);
    const read = await store.get('resp_1');
    assert.deepEqual(read, stored);
    assert.ok(read !== undefined);
    read.response['id'] = 'changed';
    assert.equal((await store.get('resp_1'))?.response['id'], 'resp_1');
    assert.equal(await store.get('resp_unknown'), undefined);
  });

  it('deletes and says whether the id was there', async () => {
    const store = new MemoryResponseStore();
    await store.put(entry('resp_1'));
    assert.equal(await store.delete('resp_1'), true);
    assert.equal(await store.delete('resp_1'), false);
    assert.equal(await store.get('resp_1'), undefined);
  });

  it('keeps at most maxEntries, dropping the oldest first', async () => {
    const store = new MemoryResponseStore({ maxEntries: 2 });
    await store.put(entry('resp_1'));
    await store.put(entry('resp_2'));
    await store.put(entry('resp_3'));
    assert.equal(store.size, 2);
    assert.equal(await store.get('resp_1'), undefined);
    assert.ok(await store.get('resp_2'));
    assert.ok(await store.get('resp_3'));
  });

  it('keeps at most maxBytes and refuses one entry larger than the whole budget', async () => {
    const size = JSON.stringify(entry('resp_1')).length;
    const store = new MemoryResponseStore({ maxBytes: size * 2 + 1 });
    await store.put(entry('resp_1'));
    await store.put(entry('resp_2'));
    await store.put(entry('resp_3'));
    assert.equal(await store.get('resp_1'), undefined);
    assert.ok(await store.get('resp_3'));
    await store.put(entry('resp_big', 'x'.repeat(size * 3)));
    assert.equal(await store.get('resp_big'), undefined);
    assert.ok(await store.get('resp_2'), 'an oversized entry does not empty the store');
  });

  it('drops responses older than maxAgeMs', async () => {
    let now = 1_000;
    const store = new MemoryResponseStore({ maxAgeMs: 500 }, () => now);
    await store.put(entry('resp_old'));
    now = 1_400;
    await store.put(entry('resp_new'));
    now = 1_600;
    assert.equal(await store.get('resp_old'), undefined);
    assert.ok(await store.get('resp_new'));
  });

  it('replaces an entry put again under the same id without counting it twice', async () => {
    const store = new MemoryResponseStore({ maxEntries: 2 });
    await store.put(entry('resp_1', 'first'));
    await store.put(entry('resp_1', 'second'));
    await store.put(entry('resp_2'));
    assert.equal(store.size, 2);
    assert.deepEqual(await store.get('resp_1'), entry('resp_1', 'second'));
  });
});
