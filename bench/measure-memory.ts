import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchContext } from './bench-context.ts';
import { openaiChatEndpoint, probeEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { atMost, formatBytes, unavailableRow } from './format-figure.ts';
import { median } from './percentile.ts';
import { residentSetBytes } from './resident-set-bytes.ts';

const SECTION = 'Memory (llmux process RSS)';
const MAX_IDLE_RSS_BYTES = 100 * 1024 * 1024;
/** Slow enough that no held stream finishes while it is measured. */
const SLOW_STREAM = { latencyMs: 0, streamChunks: 1_000_000, chunkDelayMs: 250 };

async function sampleResidentSet(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let sample = 0; sample < 3; sample += 1) {
    if (sample > 0) await sleep(100);
    samples.push(residentSetBytes(pid));
  }
  return median(samples);
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

/**
 * Holds `count` slow `/v1/chat/completions` streams open through llmux and reads its RSS, before
 * and while; then aborts them and checks that llmux closed every upstream stream too. Run it
 * before the load sections: once the heap has grown under load, new streams fit in it and the
 * RSS difference says nothing. Per stream = RSS difference / streams llmux held (flowing or
 * queued), an estimate.
 */
export async function measureOpenStreamMemory(context: BenchContext, count: number): Promise<BenchRow[]> {
  const { session, llmux } = context;
  const figure = `RSS with ${count} open streams (per stream)`;
  if (llmux === undefined) return [unavailableRow(SECTION, figure, context.llmuxMissing)];
  const endpoint = openaiChatEndpoint('llmux /v1/chat/completions', llmux.origin, true);
  await session.configureUpstream({ latencyMs: 0, streamChunks: 5, chunkDelayMs: 0 });
  const missing = await probeEndpoint(endpoint);
  if (missing !== undefined) return [unavailableRow(SECTION, figure, missing)];

  // A few fast streams first, so code loaded on first use is not counted as per-stream memory.
  await session.closedLoop(endpoint, 4, 300);
  await session.configureUpstream(SLOW_STREAM);
  const before = await sampleResidentSet(llmux.pid);
  let holding = Number.NaN;
  let upstreamOpen = Number.NaN;
  const result = await session.holdStreams(endpoint, count, async (opened) => {
    await sleep(1000);
    holding = await sampleResidentSet(llmux.pid);
    upstreamOpen = (await session.upstreamStats()).openStreams;
    if (opened < count) context.notes.push(`open streams: only ${opened} of ${count} delivered a first byte within 5 s`);
  });
  if (result.errors > 0) context.notes.push(`open streams: ${result.errors} failed; first: ${result.firstError ?? 'unknown'}`);
  let leftOpen = (await session.upstreamStats()).openStreams;
  for (let poll = 0; poll < 30 && leftOpen > 0; poll += 1) {
    await sleep(100);
    leftOpen = (await session.upstreamStats()).openStreams;
  }
  await session.configureUpstream({ latencyMs: 0, streamChunks: 20, chunkDelayMs: 0 });
  const held = result.requests - result.errors;
  return [
    {
      section: SECTION,
      figure,
      baseline: formatBytes(before),
      measured: formatBytes(holding),
      result: held > 0 ? `${formatBytes((holding - before) / held)}/stream` : '—',
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
