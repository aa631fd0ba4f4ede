import { setTimeout as sleep } from 'node:timers/promises';
import { QUIET_MS, TICK_MS } from '../src/server/idle-heap-collector.ts';
import type { BenchContext } from './bench-context.ts';
import { openaiChatEndpoint, probeEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { atMost, formatBytes, unavailableRow } from './format-figure.ts';
import { trimAllocator } from './allocator-trim.ts';
import { forceGarbageCollection } from './inspector-gc.ts';
import { BENCH_ADMIN_KEY, BENCH_CLIENT_KEY, FAKE_MODEL } from './fake-upstream.ts';
import { median } from './percentile.ts';
import { residentSetBytes } from './resident-set-bytes.ts';

const SECTION = 'Memory (llmux process RSS)';
const MAX_IDLE_RSS_BYTES = 100 * 1024 * 1024;
/** Slow enough that no held stream finishes while it is measured. */
export const SLOW_STREAM = { latencyMs: 0, streamChunks: 1_000_000, chunkDelayMs: 250 };

export async function sampleResidentSet(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let sample = 0; sample < 3; sample += 1) {
    if (sample > 0) await sleep(100);
    samples.push(residentSetBytes(pid));
  }
  return median(samples);
}

/** A young generation this large when "before" is read means the warm-up's was not given back. */
const YOUNG_GENERATION_GROWN_BYTES = 4 * 1024 * 1024;

/** V8's heap in llmux, as its `/metrics` reports it (prom-client's process metrics), in bytes. */
interface HeapFigures {
  /** The heap's committed size (heapTotal). */
  committed: number;
  /** Of which the young generation ("new" space). */
  young: number;
}

/** Reads the heap figures off `/metrics` (with the admin key the memory llmux is started with); undefined if it does not answer. */
async function readHeapFigures(origin: string): Promise<HeapFigures | undefined> {
  try {
    const response = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } });
    const text = await response.text();
    const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    const figures = { committed: value(/nodejs_heap_size_total_bytes (\d+)/), young: value(/nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)/) };
    return Number.isFinite(figures.committed) && Number.isFinite(figures.young) ? figures : undefined;
  } catch {
    return undefined;
  }
}

/** RSS right after start, before any request: call it before every other section. */
export async function measureIdleMemory(context: BenchContext): Promise<BenchRow> {
  if (context.llmux === undefined) return unavailableRow(SECTION, 'RSS idle after start', context.llmuxMissing);
  await sleep(500);
  const idle = await sampleResidentSet(context.llmux.pid);
  return {
    section: SECTION,
    figure: 'RSS idle after start',
    baseline: '—',
    measured: formatBytes(idle),
    result: '',
    target: `≤ ${formatBytes(MAX_IDLE_RSS_BYTES)}`,
    status: atMost(idle, MAX_IDLE_RSS_BYTES),
  };
}

/** An llmux of its own for the open-stream figures: `inspectPort` is its `--inspect-port`. */
export interface MemoryTarget {
  origin: string;
  pid: number;
  inspectPort?: number;
}

/** Issue 11: at most this much RSS per open idle stream (at 1,000 streams)... */
const MAX_BYTES_PER_STREAM = 64 * 1024;
/** ...and RSS back within 10 % of where it was once the streams have closed. */
const MAX_RSS_AFTER_CLOSE = 1.1;
/**
 * How long RSS is given to come back after the streams closed, read once a second: llmux's idle
 * collector waits for QUIET_MS of quiet once the streams' closing work is done (counting what
 * aborted streams streamed takes a few seconds).
 */
const SETTLE_AFTER_CLOSE_MS = QUIET_MS + 20_000;
/**
 * Rest before "before" is read: llmux's idle collector (a look every TICK_MS; it collects once it
 * has found llmux quiet for QUIET_MS) has had the looks it needs to collect what the warm-up left.
 * Read before that collection, "before" includes the young generation the warm-up grew (about 30 MB
 * more) and the per-stream figure leaves its growth out.
 */
const SETTLE_BEFORE_MS = QUIET_MS + 3 * TICK_MS;
/** How long the streams are given to flow (a busy machine opens a thousand slowly). */
export const FLOW_WAIT_MS = 20_000;

/**
 * Holds `count` slow `/v1/chat/completions` streams open through llmux and reads its RSS before,
 * while and after; checks that all of them flowed and that llmux closed every upstream stream
 * when the clients aborted. Run it before the load sections: once the heap has grown under load,
 * new streams fit in it and the RSS difference says nothing. What is paid once is paid in the
 * warm-up, before "before" is read: code loaded on first use (a few fast streams), and what an
 * aborted stream loads (its output is counted with the tokenizer, whose tables are large: a few
 * streams aborted, then a `count_tokens` request, answered only once the tokenizer has loaded, so
 * that a slow load does not land in the streams' figure). Per stream = RSS difference / streams held, an estimate. After they close, RSS
 * is read once a second for up to SETTLE_AFTER_CLOSE_MS, with nothing forced from outside (llmux's own idle
 * collector may run: src/server/idle-heap-collector.ts); then, as information, once more after a full collection forced through the
 * inspector (which is why `target` is an llmux of its own, started with `--inspect-port`, and
 * measured no further).
 */
export async function measureOpenStreamMemory(context: BenchContext, count: number, target: MemoryTarget | string): Promise<BenchRow[]> {
  const { session } = context;
  const figure = `RSS with ${count} open idle streams (per stream)`;
  if (typeof target === 'string') return [unavailableRow(SECTION, figure, target)];
  const llmux = target;
  const endpoint = openaiChatEndpoint('llmux /v1/chat/completions', llmux.origin, true);
  await session.configureUpstream({ latencyMs: 0, streamChunks: 5, chunkDelayMs: 0 });
  const missing = await probeEndpoint(endpoint);
  if (missing !== undefined) return [unavailableRow(SECTION, figure, missing)];

  await session.closedLoop(endpoint, 4, 300);
  await session.configureUpstream(SLOW_STREAM);
  await session.holdStreams(endpoint, 8, () => sleep(300));
  const counted = await fetch(`${llmux.origin}/v1/messages/count_tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': BENCH_CLIENT_KEY },
    body: JSON.stringify({ model: FAKE_MODEL, messages: [{ role: 'user', content: 'Say hello.' }] }),
  });
  await counted.text();
  if (!counted.ok) return [unavailableRow(SECTION, figure, `count_tokens (to load the tokenizer before "before") answered ${counted.status}`)];
  await sleep(SETTLE_BEFORE_MS);
  const before = await sampleResidentSet(llmux.pid);
  // Read after each RSS sample, so that the request does not land in it.
  const heapBefore = await readHeapFigures(llmux.origin);
  // llmux's idle collector runs only when the warm-up left 16 MB of objects; when it has not, the
  // young generation the warm-up grew is still committed and the per-stream figure leaves its growth out.
  if (heapBefore !== undefined && heapBefore.young >= YOUNG_GENERATION_GROWN_BYTES) {
    context.notes.push(`open streams: "before" was read with the warm-up's young generation still committed (${formatBytes(heapBefore.young)}; llmux's idle collector had not run), so the per-stream figure leaves out its growth; from a collected baseline (1 MB) it reads about ${formatBytes((heapBefore.young - 1024 * 1024) / count)} per stream more (bench/README.md)`);
  }
  let heapHolding: HeapFigures | undefined;
  let holding = Number.NaN;
  let upstreamOpen = Number.NaN;
  const result = await session.holdStreams(endpoint, count, async (opened) => {
    for (let waited = 0; waited < FLOW_WAIT_MS && (await session.upstreamStats()).openStreams < count; waited += 100) await sleep(100);
    await sleep(1000);
    holding = await sampleResidentSet(llmux.pid);
    heapHolding = await readHeapFigures(llmux.origin);
    upstreamOpen = (await session.upstreamStats()).openStreams;
    if (opened < count) context.notes.push(`open streams: ${opened} of ${count} delivered a first byte within the generator's 5 s (${upstreamOpen} open at the upstream when RSS was read)`);
  });
  if (result.errors > 0) context.notes.push(`open streams: ${result.errors} failed; first: ${result.firstError ?? 'unknown'}`);
  let leftOpen = (await session.upstreamStats()).openStreams;
  for (let poll = 0; poll < 30 && leftOpen > 0; poll += 1) {
    await sleep(100);
    leftOpen = (await session.upstreamStats()).openStreams;
  }
  const closedAt = performance.now();
  let after = await sampleResidentSet(llmux.pid);
  while (after > before * MAX_RSS_AFTER_CLOSE && performance.now() - closedAt < SETTLE_AFTER_CLOSE_MS) {
    await sleep(1000);
    after = await sampleResidentSet(llmux.pid);
  }
  const settledS = (performance.now() - closedAt) / 1000;
  const heapAfter = await readHeapFigures(llmux.origin);
  let collected = Number.NaN;
  let notCollected = 'no inspector port';
  if (llmux.inspectPort !== undefined) {
    const failed = await forceGarbageCollection(llmux.pid, llmux.inspectPort);
    if (failed === undefined) {
      await sleep(1000);
      collected = await sampleResidentSet(llmux.pid);
    } else notCollected = failed;
  }
  // Last, as it stops the process for a moment: what is left is free memory glibc kept, or in use.
  const notTrimmed = await trimAllocator(llmux.pid);
  const trimmed = notTrimmed === undefined ? await sampleResidentSet(llmux.pid) : Number.NaN;
  await session.configureUpstream({ latencyMs: 0, streamChunks: 20, chunkDelayMs: 0 });
  const held = result.requests - result.errors;
  const perStream = held > 0 ? (holding - before) / held : Number.NaN;
  return [
    {
      section: SECTION,
      figure,
      baseline: formatBytes(before),
      measured: formatBytes(holding),
      result: held > 0 ? `${formatBytes(perStream)}/stream` : '—',
      target: `≤ ${formatBytes(MAX_BYTES_PER_STREAM)}`,
      status: atMost(perStream, MAX_BYTES_PER_STREAM),
      point: 4,
    },
    heapShareRow(before, holding, after, held, heapBefore, heapHolding, heapAfter),
    {
      section: SECTION,
      figure: `RSS after the streams closed: before / while / after (${settledS.toFixed(0)} s after they closed, nothing forced from outside)`,
      baseline: formatBytes(before),
      measured: `${formatBytes(holding)} / ${formatBytes(after)}`,
      result: `${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(1)} % of before`,
      target: `≤ +${Math.round((MAX_RSS_AFTER_CLOSE - 1) * 100)} %`,
      status: atMost(after, before * MAX_RSS_AFTER_CLOSE),
      point: 4,
    },
    {
      section: SECTION,
      figure: 'RSS after the streams closed and a full collection forced through the inspector',
      baseline: formatBytes(before),
      measured: Number.isFinite(collected) ? formatBytes(collected) : `n/a: ${notCollected}`,
      result: Number.isFinite(collected) ? `${collected >= before ? '+' : ''}${(((collected - before) / before) * 100).toFixed(1)} % of before` : '',
      target: '—',
      status: 'info',
    },
    {
      section: SECTION,
      figure: "RSS after that and glibc's malloc_trim(0), called through gdb: free memory the C allocator had kept, given back",
      baseline: formatBytes(before),
      measured: Number.isFinite(trimmed) ? formatBytes(trimmed) : `n/a: ${notTrimmed ?? ''}`,
      result: Number.isFinite(trimmed) ? `${trimmed >= before ? '+' : ''}${(((trimmed - before) / before) * 100).toFixed(1)} % of before` : '',
      target: '—',
      status: 'info',
    },
    {
      section: SECTION,
      figure: 'streams flowing: to the client / at the upstream',
      baseline: '—',
      measured: `${result.opened} / ${upstreamOpen}`,
      result: '',
      target: `${count} / ${count}`,
      status: result.opened === count && upstreamOpen === count ? 'PASS' : 'MISS',
    },
    {
      section: SECTION,
      figure: 'upstream streams left open 3 s after the clients aborted',
      baseline: '—',
      measured: String(leftOpen),
      result: '',
      target: '0',
      status: atMost(leftOpen, 0),
    },
  ];
}

/** RSS once every load section has run (the heap does not shrink back to idle). */
export async function measureFinalMemory(context: BenchContext): Promise<BenchRow> {
  if (context.llmux === undefined) return unavailableRow(SECTION, 'RSS after the load sections', context.llmuxMissing);
  await sleep(1000);
  return {
    section: SECTION,
    figure: 'RSS after the load sections',
    baseline: '—',
    measured: formatBytes(await sampleResidentSet(context.llmux.pid)),
    result: '',
    target: '—',
    status: 'info',
  };
}

/**
 * How much of the open streams' RSS is V8's heap, how much of that its young generation (which a
 * burst grows to its limit whatever the number of streams: a fixed cost, not a per-stream one), and
 * how much lies outside the heap (sockets, buffers, the C allocator's arenas); and what is left
 * outside the heap once they closed.
 */
function heapShareRow(before: number, holding: number, after: number, held: number, heapBefore: HeapFigures | undefined, heapHolding: HeapFigures | undefined, heapAfter: HeapFigures | undefined): BenchRow {
  const figure = 'of which V8\'s heap, committed (its young generation): before / while / after; per stream, and outside the heap after close';
  if (heapBefore === undefined || heapHolding === undefined || heapAfter === undefined || held === 0) return { section: SECTION, figure, baseline: '—', measured: 'n/a: /metrics did not answer', result: '', target: '—', status: 'info' };
  const show = (heap: HeapFigures): string => `${formatBytes(heap.committed)} (${formatBytes(heap.young)})`;
  const perStream = (bytes: number): string => `${formatBytes(bytes / held)}/stream`;
  const heapGrowth = heapHolding.committed - heapBefore.committed;
  const youngGrowth = heapHolding.young - heapBefore.young;
  const outsideAfter = after - heapAfter.committed - (before - heapBefore.committed);
  return {
    section: SECTION,
    figure,
    baseline: show(heapBefore),
    measured: `${show(heapHolding)} / ${show(heapAfter)}`,
    result: `heap ${perStream(heapGrowth)} (young generation ${perStream(youngGrowth)}), outside ${perStream(holding - before - heapGrowth)}; outside after close ${outsideAfter >= 0 ? '+' : ''}${formatBytes(outsideAfter)}`,
    target: '—',
    status: 'info',
  };
}
