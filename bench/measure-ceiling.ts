import { noteErrors, type BenchContext } from './bench-context.ts';
import type { BenchRow } from './bench-report.ts';
import { issueTable, overheadRows } from './ceiling-summary.ts';
import type { CeilingProcesses } from './ceiling-processes.ts';
import { CONNECTIONS, measureCeilingRound, PATH, STREAM_CHUNKS, type CeilingRound, type PathLabel } from './ceiling-round.ts';
import type { Measured } from './closed-loop-cpu.ts';
import { atLeast, atMost, formatMicros, formatRate, formatRatio, unavailableRow } from './format-figure.ts';
import type { StreamProbeResult } from './load-job.ts';
import { interquartileRange, median } from './percentile.ts';

const SECTION = 'Ceiling: llmux against a bare node:http + undici proxy doing the same JSON work';
const MIN_RPS_TO_BARE = 0.9;
const MAX_CPU_TO_BARE = 1.15;
const MAX_P50_OVER_BARE_US = 30;
const MAX_FIRST_BYTE_OVER_BARE_US = 100;

/**
 * The figures of the hot-path issue: requests/s and CPU per request of llmux's
 * `/v1/chat/completions`, `/api/chat` and `/v1/messages` against the bare proxy at 50 connections,
 * added p50 at 1 connection, and added time to first streamed byte. Every round runs on a new llmux
 * and new bare proxies (`context.startCeiling`), so each median is over processes as well as
 * rounds. Ratios are medians of per-round pairs, with the interquartile range over rounds.
 */
export async function measureCeiling(context: BenchContext): Promise<BenchRow[]> {
  const { session, startCeiling } = context;
  if (context.llmux === undefined) return [unavailableRow(SECTION, 'llmux against the bare proxy', context.llmuxMissing)];
  if (startCeiling === undefined) return [unavailableRow(SECTION, 'llmux against the bare proxy', 'no servers to start')];
  const rounds: CeilingRound[] = [];
  let tunedFlags = '';
  for (let round = 0; round < context.rounds; round += 1) {
    let processes: CeilingProcesses;
    try {
      processes = await startCeiling(round);
    } catch (error) {
      return [unavailableRow(SECTION, 'llmux against the bare proxy', `round ${round + 1}: ${error instanceof Error ? error.message : String(error)}`)];
    }
    try {
      tunedFlags = processes.bareTuned?.flags ?? tunedFlags;
      const measured = await measureCeilingRound(session, processes, context.nginx, round, context.roundMs);
      if (typeof measured === 'string') return [unavailableRow(SECTION, 'llmux against the bare proxy', measured)];
      rounds.push(measured);
    } finally {
      await processes.stop();
    }
  }

  const loadedOf = (label: PathLabel): Array<Measured | undefined> => rounds.map((round) => round.loaded.get(label));
  const singleOf = (label: PathLabel): Array<Measured | undefined> => rounds.map((round) => round.single.get(label));
  const streamOf = (label: PathLabel): Array<StreamProbeResult | undefined> => rounds.map((round) => round.streams.get(label));
  const measuredIn = (label: PathLabel): boolean => loadedOf(label).some((entry) => entry !== undefined);
  /** `combine` over the rounds that measured both. */
  const paired = <T>(a: Array<T | undefined>, b: Array<T | undefined>, combine: (a: T, b: T) => number): number[] =>
    a.flatMap((entry, index) => {
      const other = b[index];
      return entry === undefined || other === undefined ? [] : [combine(entry, other)];
    });
  const present = <T>(entries: Array<T | undefined>): T[] => entries.filter((entry) => entry !== undefined);
  for (const label of Object.values(PATH)) {
    noteErrors(context, `ceiling, ${label}`, present(loadedOf(label)).map((entry) => entry.result));
    noteErrors(context, `ceiling at 1 connection, ${label}`, present(singleOf(label)).map((entry) => entry.result));
  }
  const rps = (label: PathLabel): number => median(present(loadedOf(label)).map((entry) => entry.result.requestsPerSecond));
  const cpu = (label: PathLabel): number => median(present(loadedOf(label)).map((entry) => entry.cpuPerRequestUs));
  const perRound = (a: PathLabel, b: PathLabel, pick: (entry: Measured) => number): number[] => paired(loadedOf(a), loadedOf(b), (x, y) => pick(x) / pick(y));
  const requestsPerSecond = (entry: Measured): number => entry.result.requestsPerSecond;
  const cpuPerRequest = (entry: Measured): number => entry.cpuPerRequestUs;
  const spread = (values: number[]): string => {
    const { low, high } = interquartileRange(values);
    return Number.isFinite(low) ? ` (IQR ${low.toFixed(2)}–${high.toFixed(2)})` : '';
  };
  const withSpread = (values: number[]): string => formatRatio(median(values)) + spread(values);

  const rows: BenchRow[] = [];
  const info = (figure: string, baseline: string, measured: string, result: string): BenchRow => ({ section: SECTION, figure, baseline, measured, result, target: '—', status: 'info' });
  rows.push(info(`req/s at ${CONNECTIONS} connections: bare proxy ÷ direct`, formatRate(rps(PATH.direct), 'req/s'), formatRate(rps(PATH.bare), 'req/s'), formatRatio(median(perRound(PATH.bare, PATH.direct, requestsPerSecond)))));
  if (measuredIn(PATH.nginx)) {
    const figure = `req/s at ${CONNECTIONS} connections: nginx proxy_pass ÷ direct (CPU per request, /proc: ${formatMicros(cpu(PATH.nginx))})`;
    rows.push(info(figure, formatRate(rps(PATH.direct), 'req/s'), formatRate(rps(PATH.nginx), 'req/s'), formatRatio(median(perRound(PATH.nginx, PATH.direct, requestsPerSecond)))));
  }
  for (const label of [PATH.openai, PATH.ollama]) {
    const ratios = perRound(label, PATH.bare, requestsPerSecond);
    rows.push({
      section: SECTION,
      figure: `req/s ${label} ÷ bare proxy (÷ direct: ${formatRatio(median(perRound(label, PATH.direct, requestsPerSecond)))})`,
      baseline: formatRate(rps(PATH.bare), 'req/s'),
      measured: formatRate(rps(label), 'req/s'),
      result: withSpread(ratios),
      target: `≥ ${MIN_RPS_TO_BARE.toFixed(2)}×`,
      status: atLeast(median(ratios), MIN_RPS_TO_BARE),
      point: 2,
    });
    const cpuRatios = perRound(label, PATH.bare, cpuPerRequest);
    rows.push({
      section: SECTION,
      figure: `CPU per request ${label} ÷ bare proxy (/proc)`,
      baseline: formatMicros(cpu(PATH.bare)),
      measured: formatMicros(cpu(label)),
      result: withSpread(cpuRatios),
      target: `≤ ${MAX_CPU_TO_BARE.toFixed(2)}×`,
      status: atMost(median(cpuRatios), MAX_CPU_TO_BARE),
      point: 2,
    });
  }
  if (measuredIn(PATH.fastify)) {
    // The framework's own share: llmux keeps Fastify, so this is the part of the bare-proxy ratio no llmux change can remove.
    const figure = 'CPU per request: the bare proxy inside Fastify ÷ bare proxy / llmux /v1/chat/completions ÷ the bare proxy inside Fastify (/proc)';
    rows.push(info(figure, formatMicros(cpu(PATH.fastify)), formatMicros(cpu(PATH.openai)), `${withSpread(perRound(PATH.fastify, PATH.bare, cpuPerRequest))} / ${withSpread(perRound(PATH.openai, PATH.fastify, cpuPerRequest))}`));
  }
  if (measuredIn(PATH.tuned)) {
    // The same proxy under llmux's own heap settings: the part of the bare-proxy ratio that is those settings, not llmux's code.
    const figure = `CPU per request: the bare proxy with llmux's heap settings (${tunedFlags}) ÷ bare proxy / llmux /v1/chat/completions ÷ it (/proc)`;
    rows.push(info(figure, formatMicros(cpu(PATH.tuned)), formatMicros(cpu(PATH.openai)), `${withSpread(perRound(PATH.tuned, PATH.bare, cpuPerRequest))} / ${withSpread(perRound(PATH.openai, PATH.tuned, cpuPerRequest))}`));
  }

  // The Anthropic ingress against the OpenAI one, same upstream: the issue's ≥ 0.9 ratio.
  const anthropicRatios = perRound(PATH.anthropic, PATH.openai, requestsPerSecond);
  const anthropicCpuRatios = perRound(PATH.anthropic, PATH.openai, cpuPerRequest);
  rows.push(
    {
      section: SECTION,
      figure: 'req/s llmux /v1/messages ÷ llmux /v1/chat/completions',
      baseline: formatRate(rps(PATH.openai), 'req/s'),
      measured: formatRate(rps(PATH.anthropic), 'req/s'),
      result: withSpread(anthropicRatios),
      target: `≥ ${MIN_RPS_TO_BARE.toFixed(2)}×`,
      status: atLeast(median(anthropicRatios), MIN_RPS_TO_BARE),
      point: 5,
    },
    {
      section: SECTION,
      figure: 'CPU per request llmux /v1/messages ÷ llmux /v1/chat/completions (/proc)',
      baseline: formatMicros(cpu(PATH.openai)),
      measured: formatMicros(cpu(PATH.anthropic)),
      result: withSpread(anthropicCpuRatios),
      target: `≤ ${(1 / MIN_RPS_TO_BARE).toFixed(2)}×`,
      status: atMost(median(anthropicCpuRatios), 1 / MIN_RPS_TO_BARE),
      point: 5,
    },
  );

  // One connection: the added p50 of each path over direct, and llmux's excess over the bare proxy.
  const addedPerRound = (label: PathLabel): number[] => paired(singleOf(label), singleOf(PATH.direct), (a, b) => a.result.latencyUs.p50 - b.result.latencyUs.p50);
  const added = (label: PathLabel): number => median(addedPerRound(label));
  const reported = (label: PathLabel): number => median(present(singleOf(label)).map((entry) => entry.result.reportedOverheadMs ?? Number.NaN)) * 1000;
  const bareAdded = added(PATH.bare);
  const llmuxAdded = added(PATH.openai);
  if (measuredIn(PATH.nginx)) rows.push(info('added p50 at 1 connection: nginx (over direct)', '—', formatMicros(added(PATH.nginx), true), ''));
  rows.push({
    section: SECTION,
    figure: 'added p50 at 1 connection: bare proxy / llmux (over direct)',
    baseline: formatMicros(bareAdded, true),
    measured: formatMicros(llmuxAdded, true),
    result: formatMicros(llmuxAdded - bareAdded, true) + ' over bare',
    target: `≤ +${MAX_P50_OVER_BARE_US} µs`,
    status: atMost(llmuxAdded - bareAdded, MAX_P50_OVER_BARE_US),
    point: 2,
  });
  rows.push(...overheadRows(SECTION, bareAdded, reported(PATH.bare), llmuxAdded, reported(PATH.openai)));
  const optional = (label: PathLabel): PathLabel | undefined => (measuredIn(label) ? label : undefined);
  const paths = { direct: PATH.direct, viaBare: PATH.bare, viaFastify: optional(PATH.fastify), viaOpenai: PATH.openai, viaOllama: PATH.ollama, viaAnthropic: PATH.anthropic, viaNginx: optional(PATH.nginx) };
  const cpuPerRound = (label: PathLabel): number[] => present(loadedOf(label)).map(cpuPerRequest);
  context.tables.push(issueTable(SECTION, `${context.rounds} interleaved rounds, each on new processes`, CONNECTIONS, paths, { rps: perRound, cpu, cpuPerRound, added, addedPerRound }));

  // Streaming: time to first and last byte over direct, and llmux's over the bare proxy's.
  const firstByte = (a: PathLabel, b: PathLabel): number => median(paired(streamOf(a), streamOf(b), (x, y) => x.firstByteUs.p50 - y.firstByteUs.p50));
  const lastByte = (a: PathLabel, b: PathLabel): number => median(paired(streamOf(a), streamOf(b), (x, y) => x.lastByteUs.p50 - y.lastByteUs.p50));
  const stream = `stream of ${STREAM_CHUNKS} chunks`;
  if (measuredIn(PATH.nginx)) rows.push(info(`${stream}: added time to first / last byte, nginx (over direct)`, '—', `${formatMicros(firstByte(PATH.nginx, PATH.direct), true)} / ${formatMicros(lastByte(PATH.nginx, PATH.direct), true)}`, ''));
  rows.push({
    section: SECTION,
    figure: `${stream}: added time to first byte, bare proxy / llmux (over direct)`,
    baseline: formatMicros(firstByte(PATH.bare, PATH.direct), true),
    measured: formatMicros(firstByte(PATH.openai, PATH.direct), true),
    result: formatMicros(firstByte(PATH.openai, PATH.bare), true) + ' over bare',
    target: `≤ +${MAX_FIRST_BYTE_OVER_BARE_US} µs`,
    status: atMost(firstByte(PATH.openai, PATH.bare), MAX_FIRST_BYTE_OVER_BARE_US),
    point: 3,
  });
  if (measuredIn(PATH.fastify)) {
    // How much of the first-byte budget the framework alone takes, before any of llmux's own work.
    const figure = 'stream: added time to first byte, the bare proxy inside Fastify (over direct / over the bare proxy)';
    rows.push(info(figure, '—', formatMicros(firstByte(PATH.fastify, PATH.direct), true), formatMicros(firstByte(PATH.fastify, PATH.bare), true) + ' over bare'));
  }
  rows.push(info('stream: added time to last byte, bare proxy / llmux (over direct)', formatMicros(lastByte(PATH.bare, PATH.direct), true), formatMicros(lastByte(PATH.openai, PATH.direct), true), formatMicros(lastByte(PATH.openai, PATH.bare), true) + ' over bare'));
  return rows;
}
