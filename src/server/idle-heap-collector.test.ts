import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectStartupGarbage, startIdleHeapCollector } from './idle-heap-collector.ts';

const MB = 1024 * 1024;

function harness(start: number) {
  let used = start;
  let busy = false;
  let tick: () => void = () => undefined;
  let stopped = false;
  const collections: number[] = [];
  const stop = startIdleHeapCollector({
    busy: () => busy,
    heapUsed: () => used,
    collect: () => {
      collections.push(used);
      used = start + 2 * MB;
    },
    every: (fn) => {
      tick = fn;
      return () => (stopped = true);
    },
  });
  return {
    set used(value: number) { used = value; },
    set busy(value: boolean) { busy = value; },
    tick: () => tick(),
    collections,
    stop,
    get stopped() { return stopped; },
  };
}

test('collects once when a burst has left garbage and the heap has stopped moving', () => {
  const h = harness(50 * MB);
  h.used = 90 * MB;
  h.tick(); // still moving since the last look
  assert.deepEqual(h.collections, []);
  h.tick(); // settled: 40 MB above the floor
  assert.deepEqual(h.collections, [90 * MB]);
  h.tick();
  h.tick();
  assert.equal(h.collections.length, 1, 'an idle heap is collected once, not on every look');
});

test('never collects while a request runs, nor for small growth', () => {
  const h = harness(50 * MB);
  h.used = 60 * MB;
  h.tick();
  h.tick();
  assert.deepEqual(h.collections, [], '10 MB of growth is left to V8');
  h.used = 90 * MB;
  h.busy = true;
  h.tick();
  h.tick();
  assert.deepEqual(h.collections, []);
  h.busy = false;
  h.tick();
  assert.deepEqual(h.collections, [90 * MB]);
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
