import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import type { PersistentResponseStore } from './persistent-response-store.ts';
import type { StoredResponse } from './response-store.ts';
import { openSqliteStateStore } from './sqlite/open-sqlite-state-store.ts';
import type { StateStore } from './state-store.ts';
import { RESPONSE_BATCH_SIZE, RESPONSE_PRUNE_STEP, WriteBehindResponseStore } from './write-behind-response-store.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);

function entry(id: string, createdAtMs = NOW, text = 'hello'): StoredResponse {
  const createdAt = Math.floor(createdAtMs / 1000);
  return { id, createdAt, response: { id, object: 'response', created_at: createdAt, output: [{ type: 'message', content: [{ type: 'output_text', text }] }] }, inputItems: [] };
}

/** A persistent store that writes to SQLite but can be told to fail or to hold its next write. */
class ControlledStore implements PersistentResponseStore {
  failNext = false;
  held: { release: () => void } | undefined;
  private readonly inner: PersistentResponseStore;
  constructor(inner: PersistentResponseStore) {
    this.inner = inner;
  }
  async putMany(entries: readonly StoredResponse[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk I/O error');
    }
    if (this.held === undefined) return this.inner.putMany(entries);
    await new Promise<void>((resolve) => (this.held = { release: resolve }));
    this.held = undefined;
    return this.inner.putMany(entries);
  }
  put(entry: StoredResponse): Promise<void> {
    return this.putMany([entry]);
  }
  get(id: string): Promise<StoredResponse | undefined> {
    return this.inner.get(id);
  }
  delete(id: string): Promise<boolean> {
    return this.inner.delete(id);
  }
  prune(before: number, limit: number): Promise<number> {
    return this.inner.prune(before, limit);
  }
  count(): Promise<number> {
    return this.inner.count();
  }
}

describe('WriteBehindResponseStore', () => {
  let state: StateStore;
  let controlled: ControlledStore;
  let store: WriteBehindResponseStore;
  let now: number;
  const log = pino({ level: 'silent' });

  beforeEach(async () => {
    state = await openSqliteStateStore(':memory:');
    controlled = new ControlledStore(state.responses);
    now = NOW;
    store = new WriteBehindResponseStore({ store: controlled, maxAgeMs: 30 * DAY_MS, log, now: () => now });
  });
  afterEach(async () => {
    await store.close();
    await state.close();
  });

  it('answers a response put a moment ago from memory, as a copy, and writes it on flush', async () => {
    await store.put(entry('resp_1'));
    assert.equal(await state.responses.count(), 0, 'put does not write to the database');
    const read = await store.get('resp_1');
    assert.deepEqual(read, entry('resp_1'));
    assert.ok(read !== undefined);
    read.response['id'] = 'changed';
    assert.deepEqual(await store.get('resp_1'), entry('resp_1'));
    await store.flush();
    assert.equal(store.pendingCount, 0);
    assert.deepEqual(await state.responses.get('resp_1'), entry('resp_1'));
    assert.deepEqual(await store.get('resp_1'), entry('resp_1'));
  });

  it('writes a batch at once when it fills, without waiting for the timer', async () => {
    for (let i = 0; i < RESPONSE_BATCH_SIZE; i++) await store.put(entry(`resp_${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    await store.flush();
    assert.equal(await state.responses.count(), RESPONSE_BATCH_SIZE);
  });

  it('keeps responses readable and waiting when a write fails, and writes them on the next try', async () => {
    await store.put(entry('resp_1'));
    controlled.failNext = true;
    await store.flush();
    assert.equal(store.pendingCount, 1);
    assert.deepEqual(await store.get('resp_1'), entry('resp_1'));
    await store.flush();
    assert.equal(store.pendingCount, 0);
    assert.equal(await state.responses.count(), 1);
  });

  it('keeps the newer response when one is put again, or deleted, while its batch is being written', async () => {
    await store.put(entry('resp_1', NOW, 'first'));
    await store.put(entry('resp_2'));
    controlled.held = { release: () => {} };
    const writing = store.flush();
    await new Promise((resolve) => setImmediate(resolve));
    await store.put(entry('resp_1', NOW, 'second'));
    const deleting = store.delete('resp_2');
    controlled.held?.release();
    await writing;
    assert.equal(await deleting, true);
    assert.deepEqual(await store.get('resp_1'), entry('resp_1', NOW, 'second'));
    assert.equal(await store.get('resp_2'), undefined);
    await store.flush();
    assert.deepEqual(await state.responses.get('resp_1'), entry('resp_1', NOW, 'second'));
    assert.equal(await state.responses.get('resp_2'), undefined);
  });

  it('deletes a response whether it waits or was written, and says whether it was there', async () => {
    await store.put(entry('resp_waiting'));
    await state.responses.put(entry('resp_written'));
    assert.equal(await store.delete('resp_waiting'), true);
    assert.equal(await store.delete('resp_written'), true);
    assert.equal(await store.delete('resp_written'), false);
    await store.flush();
    assert.equal(await state.responses.count(), 0);
  });

  it('does not find a response past the retention, and prunes those in steps', async () => {
    const old: StoredResponse[] = [];
    for (let i = 0; i <= RESPONSE_PRUNE_STEP; i++) old.push(entry(`resp_old_${i}`, NOW - 31 * DAY_MS));
    await state.responses.putMany(old);
    await state.responses.put(entry('resp_recent', NOW - 29 * DAY_MS));
    assert.equal(await store.get('resp_old_0'), undefined);
    assert.ok(await store.get('resp_recent'));
    assert.equal(await store.prune(), RESPONSE_PRUNE_STEP + 1);
    assert.equal(await state.responses.count(), 1);
    now += 2 * DAY_MS;
    assert.equal(await store.get('resp_recent'), undefined);
    assert.equal(await store.prune(), 1);
    assert.equal(await state.responses.count(), 0);
  });

  it('prunes on start', async () => {
    await state.responses.put(entry('resp_old', NOW - 31 * DAY_MS));
    const started = new WriteBehindResponseStore({ store: state.responses, maxAgeMs: 30 * DAY_MS, log, now: () => now });
    try {
      for (let turn = 0; turn < 100 && (await state.responses.count()) > 0; turn++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await state.responses.count(), 0);
    } finally {
      await started.close();
    }
  });

  it('writes what waits on close', async () => {
    await store.put(entry('resp_1'));
    await store.put(entry('resp_2'));
    await store.close();
    assert.equal(await state.responses.count(), 2);
  });
});
