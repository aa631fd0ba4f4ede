import { getHeapStatistics } from 'node:v8';

/** How often the collector looks at the heap. */
const TICK_MS = 2_000;
/** Garbage this large left behind by a burst is worth a collection once llmux falls idle. */
const GROWTH_BYTES = 16 * 1024 * 1024;
/** Between two looks, an idle process allocates less than this. */
const IDLE_ALLOCATION_BYTES = 1024 * 1024;

export interface IdleHeapCollectorOptions {
  /** Requests (and streams) still running: the collector never runs while there are any. */
  busy(): boolean;
  /** Bytes of the heap in use (V8's used_heap_size). */
  heapUsed?: () => number;
  /** A full collection; none (the collector does nothing) when Node was started without `--expose-gc`. */
  collect?: (() => void) | undefined;
  /** Clock for tests: registers `tick` every TICK_MS and returns how to stop it. */
  every?: (tick: () => void, ms: number) => () => void;
}

/**
 * After a burst of requests, V8 keeps the garbage it left until the next allocation pressure — and
 * an idle gateway allocates nothing, so its resident memory stays at the burst's high-water mark
 * (bench: +31–38 % 20 s after 1,000 streams closed). When no request is running, the heap has
 * stopped moving between two looks and it holds 16 MB more than after the last collection, this
 * runs one full collection that also gives the freed pages back ("last-resort", what V8 does on a
 * low-memory notification; a plain major collection freed the heap but left RSS up): once per burst,
 * never while a request is in flight. Bench: RSS 4 s after 1,000 streams closed +1.2 % (was +47 %).
 *
 * Growth is judged by bytes of objects, not by the memory the heap holds: judged by memory held
 * (a young generation a few hundred requests grew from 1 to 32 MB counts), it also collected after
 * short bursts at one connection, each collection took 56–99 ms and left the next requests a 1 MB
 * young generation to grow again, and the bench's in-process overhead at one connection rose from
 * 117 to 212 µs (2026-12, nine collections in the ceiling section against five).
 */
export function startIdleHeapCollector(options: IdleHeapCollectorOptions): () => void {
  const collect = options.collect ?? exposedGc();
  if (collect === undefined) return () => undefined;
  const heapUsed = options.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  const every = options.every ?? everyUnref;
  let floor = heapUsed();
  let previous = floor;
  return every(() => {
    const used = heapUsed();
    const settled = Math.abs(used - previous) < IDLE_ALLOCATION_BYTES;
    previous = used;
    if (used < floor) floor = used;
    if (!settled || used - floor < GROWTH_BYTES || options.busy()) return;
    collect();
    floor = previous = heapUsed();
  }, TICK_MS);
}

/**
 * Starting leaves garbage behind (config, modules, schemas, routes) and a young generation grown
 * to hold it: 17 MB of it committed and empty once llmux listens. One full collection once start-up
 * has settled, if no request is running, gives both back (RSS idle 112 → 95 MB). It holds the event
 * loop for about 60 ms, once, before clients are likely to have arrived.
 */
export function collectStartupGarbage(options: Pick<IdleHeapCollectorOptions, 'busy' | 'collect'>): void {
  const collect = options.collect ?? exposedGc();
  if (collect !== undefined && !options.busy()) collect();
}

function exposedGc(): (() => void) | undefined {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => void (gc as (options: object) => unknown)({ type: 'major', execution: 'sync', flavor: 'last-resort' }) : undefined;
}

function everyUnref(tick: () => void, ms: number): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}
