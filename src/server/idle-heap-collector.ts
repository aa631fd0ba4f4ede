import { getHeapStatistics } from 'node:v8';

/** How often the collector looks at the heap. */
export const TICK_MS = 2_000;
/**
 * Memory this large held by the heap beyond what the last collection left is worth one once llmux
 * is idle: a young generation a short burst grew from 1 MB to its limit is (8 MB with the 4 MB
 * semi-spaces bin/llmux.js sets, 7 MB of growth; with 16 MB semi-spaces, the bench's warm-up left
 * 15 MB more held and it stayed resident).
 */
const GROWTH_BYTES = 6 * 1024 * 1024;
/** Between two looks, an idle process allocates less than this. */
const IDLE_ALLOCATION_BYTES = 1024 * 1024;
/** How long llmux must have been quiet (no request running, the heap not moving) before it collects. */
export const QUIET_MS = 20_000;

/** What the collector reads off V8's heap. */
export interface HeapReading {
  /** Bytes of objects, live and garbage (used_heap_size): it moves only while something allocates. */
  used: number;
  /**
   * Bytes of memory the heap holds in RAM (total_physical_size): the objects, and space committed
   * but empty, such as a young generation a burst grew to its 8 MB limit.
   */
  held: number;
}

export interface IdleHeapCollectorOptions {
  /** Requests (and streams) still running: the collector never runs while there are any. */
  busy(): boolean;
  /** Reads the heap (V8's heap statistics). */
  readHeap?: () => HeapReading;
  /** A full collection; none (the collector does nothing) when Node was started without `--expose-gc`. */
  collect?: (() => void) | undefined;
  /** Clock for tests: registers `tick` every TICK_MS and returns how to stop it. */
  every?: (tick: () => void, ms: number) => () => void;
}

/**
 * After a burst of requests, V8 keeps the garbage it left until the next allocation pressure — and
 * an idle gateway allocates nothing, so its resident memory stays at the burst's high-water mark
 * (bench: +31–38 % 20 s after 1,000 streams closed). Once llmux has been quiet for QUIET_MS (no
 * request running and the heap not moving at any look) and the heap holds 6 MB more than after
 * the last collection, this runs one full collection that also gives the freed pages back
 * ("last-resort", what V8 does on a low-memory notification; a plain major collection freed the
 * heap but left RSS up): once per burst, never while a request is in flight. Bench (2026-12): once
 * 1,000 streams closed, V8's heap comes back within 1–3 MB of where it was before they opened (it
 * stayed +30–38 % without this); what RSS keeps above that is the C allocator's.
 *
 * Such a collection leaves the next burst a cold process: a 1 MB young generation to grow again,
 * its pages to fault in anew, and code to warm up again. After 2–4 s of quiet (this collector's
 * wait until 2026-12) it ran between the bench's interleaved rounds, and in paired ceiling runs
 * llmux's `/v1/chat/completions` served 0.50× the bare proxy's requests per second at 2.2–2.3× its
 * CPU per request, against 0.70–0.72× at 1.4–1.5× with no collection at all. A burst that follows
 * seconds of quiet is traffic; 20 s of quiet is an idle gateway.
 *
 * Growth is judged by the memory the heap holds, not by bytes of objects: a few hundred requests
 * grow the young generation from 1 MB to its limit (32 MB when this was measured) while leaving a few MB of objects, and judged by
 * objects (16 MB of them), that burst's 31 MB stayed resident for good (bench: RSS before the open streams 134 or
 * 166 MB, by whether the warm-up had left 20 or 12 MB of objects). Judged so after 2–4 s of quiet,
 * it also collected between short bursts at one connection (nine collections in the bench's
 * ceiling section against five, in-process overhead 117 → 212 µs): the quiet period is what keeps
 * it from doing so.
 */
export function startIdleHeapCollector(options: IdleHeapCollectorOptions): () => void {
  const collect = options.collect ?? exposedGc();
  if (collect === undefined) return () => undefined;
  const readHeap = options.readHeap ?? readV8Heap;
  const every = options.every ?? everyUnref;
  let { used: previous, held: floor } = readHeap();
  let quietLooks = 0;
  return every(() => {
    const { used, held } = readHeap();
    const quiet = Math.abs(used - previous) < IDLE_ALLOCATION_BYTES && !options.busy();
    previous = used;
    if (held < floor) floor = held;
    quietLooks = quiet ? quietLooks + 1 : 0;
    if (quietLooks * TICK_MS < QUIET_MS || held - floor < GROWTH_BYTES) return;
    collect();
    ({ used: previous, held: floor } = readHeap());
    quietLooks = 0;
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

function readV8Heap(): HeapReading {
  const statistics = getHeapStatistics();
  return { used: statistics.used_heap_size, held: statistics.total_physical_size };
}

/** One full collection that gives the freed pages back ("last-resort"); undefined when Node was started without `--expose-gc`. */
export function exposedGc(): (() => void) | undefined {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => void (gc as (options: object) => unknown)({ type: 'major', execution: 'sync', flavor: 'last-resort' }) : undefined;
}

function everyUnref(tick: () => void, ms: number): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}
