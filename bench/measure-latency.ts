import { noteErrors, type BenchContext } from './bench-context.ts';
import { openaiChatEndpoint, probeEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { interleaveRounds } from './bench-session.ts';
import { atMost, formatMicros, unavailableRow } from './format-figure.ts';
import type { ClosedLoopResult } from './load-job.ts';
import { median, pairedMedian } from './percentile.ts';

const SECTION = 'Added latency: non-streaming, 1 connection, sequential';
const MAX_ADDED_P50_US = 150;

/** One request at a time, direct and through llmux; llmux's p50/p99 minus direct's, per round. */
export async function measureLatency(context: BenchContext): Promise<BenchRow[]> {
  const { session, llmux } = context;
  if (llmux === undefined) return [unavailableRow(SECTION, 'added latency', context.llmuxMissing)];
  const direct = openaiChatEndpoint('direct', session.upstreamOrigin, false);
  const through = openaiChatEndpoint('llmux /v1/chat/completions', llmux.origin, false);
  const missing = await probeEndpoint(through);
  if (missing !== undefined) return [unavailableRow(SECTION, 'added latency', missing)];

  const run = (endpoint: BenchEndpoint): Promise<ClosedLoopResult> => session.closedLoop(endpoint, 1, context.roundMs);
  await run(direct);
  await run(through);
  const [directResults = [], throughResults = []] = await interleaveRounds(context.rounds, [direct, through], run);
  noteErrors(context, 'latency, direct', directResults);
  noteErrors(context, 'latency, llmux', throughResults);

  const rows: BenchRow[] = [];
  for (const [name, pick] of [
    ['p50', (result: ClosedLoopResult) => result.latencyUs.p50],
    ['p99', (result: ClosedLoopResult) => result.latencyUs.p99],
  ] as const) {
    const added = pairedMedian(throughResults, directResults, (a, b) => pick(a) - pick(b));
    rows.push({
      section: SECTION,
      figure: `added ${name} latency`,
      baseline: formatMicros(median(directResults.map(pick))),
      measured: formatMicros(median(throughResults.map(pick))),
      result: formatMicros(added, true),
      target: name === 'p50' ? `≤ ${MAX_ADDED_P50_US} µs` : '—',
      status: name === 'p50' ? atMost(added, MAX_ADDED_P50_US) : 'info',
    });
  }
  const requests = (list: readonly ClosedLoopResult[]): number => list.reduce((sum, result) => sum + result.requests, 0);
  rows.push({
    section: SECTION,
    figure: 'requests measured',
    baseline: String(requests(directResults)),
    measured: String(requests(throughResults)),
    result: '',
    target: '—',
    status: 'info',
  });
  const reported = median(throughResults.map((result) => result.reportedOverheadMs ?? Number.NaN));
  rows.push({
    section: SECTION,
    figure: 'llmux-reported x-llmux-overhead-ms (median)',
    baseline: '—',
    measured: Number.isFinite(reported) ? formatMicros(reported * 1000) : 'header absent',
    result: '',
    target: '—',
    status: 'info',
  });
  return rows;
}
