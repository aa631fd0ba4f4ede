import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectStartupGarbage, QUIET_MS, startIdleHeapCollector, TICK_MS } from './idle-heap-collector.ts';

const MB = 1024 * 1024;

function harness(start: number) {
  let used = start;
  let held = start;
  let busy = false;
  let tick: () => void = () => undefined;
  let stopped = false;
  const collections: number[] = [];
  const stop = startIdleHeapCollector({
    busy: () => busy,
    readHeap: () => ({ used, held }),
    collect: () => {
      collections.push(held);
      used = held = start + 2 * MB;
    },
    every: (fn) => {
      tick = fn;
      return () => (stopped = true);
    },
  });
  return {
    /** The heap's objects and the memory it holds (as much as the objects unless given). */
    heap(objects: number, memory = objects) {
      used = objects;
      held = memory;
    },
    set busy(value: boolean) { busy = value; },
    tick: () => tick(),
    collections,
    stop,
    get stopped() { return stopped; },
  };
}

/** Looks that make up the quiet period a collection waits for. */
const QUIET_LOOKS = QUIET_MS / TICK_MS;

test('collects once when a burst has left garbage and llmux has been quiet for QUIET_MS', () => {
  const h = harness(50 * MB);
  h.heap(90 * MB);
  h.tick(); // still moving since the last look
  for (let look = 1; look < QUIET_LOOKS; look += 1) h.tick();
  assert.deepEqual(h.collections, [], 'not before the quiet period is over');
  h.tick(); // quiet for QUIET_MS, 40 MB above the floor
  assert.deepEqual(h.collections, [90 * MB]);
  for (let look = 0; look < 3 * QUIET_LOOKS; look += 1) h.tick();
  assert.equal(h.collections.length, 1, 'an idle heap is collected once, not after every quiet period');
});

test('a running request or a moving heap starts the quiet period over; small growth is left to V8', () => {
  const h = harness(50 * MB);
  h.heap(55 * MB);
  for (let look = 0; look < 2 * QUIET_LOOKS; look += 1) h.tick();
  assert.deepEqual(h.collections, [], '5 MB of growth is left to V8');
  h.heap(90 * MB);
  for (let look = 1; look < QUIET_LOOKS; look += 1) h.tick();
  h.busy = true;
  h.tick();
  h.busy = false;
  for (let look = 1; look < QUIET_LOOKS; look += 1) h.tick();
  assert.deepEqual(h.collections, [], 'a request in flight at one look: the quiet period starts over');
  h.heap(92 * MB);
  h.tick();
  h.heap(94 * MB);
  h.tick(); // moved again
  for (let look = 1; look < QUIET_LOOKS; look += 1) h.tick();
  assert.deepEqual(h.collections, [], 'the heap moved by 2 MB between two looks: the quiet period starts over');
  h.tick();
  assert.deepEqual(h.collections, [94 * MB]);
});

test('a young generation a burst grew counts: memory held, not only objects', () => {
  const h = harness(50 * MB);
  // 1 MB more objects, 16 MB more memory: the young generation grew from 1 to 16 MB.
  h.heap(51 * MB, 66 * MB);
  for (let look = 0; look <= QUIET_LOOKS; look += 1) h.tick();
  assert.deepEqual(h.collections, [66 * MB]);
});

test('a young generation grown to the 8 MB that llmux serve allows is given back too', () => {
  const h = harness(50 * MB);
  // Semi-spaces of 4 MB (bin/llmux.js): the young generation grew from 1 to 8 MB.
  h.heap(50.5 * MB, 57 * MB);
  for (let look = 0; look <= QUIET_LOOKS; look += 1) h.tick();
  assert.deepEqual(h.collections, [57 * MB]);
});

test('does nothing, and schedules nothing, without a collection function', () => {
  let scheduled = false;
  const stop = startIdleHeapCollector({ busy: () => false, collect: undefined, every: () => { scheduled = true; return () => undefined; } });
  stop();
  assert.equal(scheduled, (globalThis as { gc?: unknown }).gc !== undefined);
});

test('stop ends the looks', () => {
  const h = harness(50 * MB);
  h.stop();
  assert.equal(h.stopped, true);
});

test('start-up garbage is collected once llmux listens, unless a request is already running', () => {
  const collections: string[] = [];
  collectStartupGarbage({ busy: () => false, collect: () => collections.push('idle') });
  collectStartupGarbage({ busy: () => true, collect: () => collections.push('busy') });
  assert.deepEqual(collections, ['idle']);
});
