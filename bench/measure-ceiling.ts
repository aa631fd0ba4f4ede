import { noteErrors, type BenchContext } from './bench-context.ts';
import { anthropicMessagesEndpoint, ollamaChatEndpoint, openaiChatEndpoint, probeEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { issueTable, overheadRows } from './ceiling-summary.ts';
import { interleaveRounds } from './bench-session.ts';
import { atLeast, atMost, formatMicros, formatRate, formatRatio, unavailableRow } from './format-figure.ts';
import type { ClosedLoopResult, StreamProbeResult } from './load-job.ts';
import { interquartileRange, median, pairedMedian } from './percentile.ts';
import { processCpuMicros } from './process-cpu.ts';

const SECTION = 'Ceiling: llmux against a bare node:http + undici proxy doing the same JSON work';
const CONNECTIONS = 50;
const MIN_RPS_TO_BARE = 0.9;
const MAX_CPU_TO_BARE = 1.15;
const MAX_P50_OVER_BARE_US = 30;
const MAX_FIRST_BYTE_OVER_BARE_US = 100;
const STREAM_CHUNKS = 20;
const STREAM_CHUNK_DELAY_MS = 1;

export interface Measured {
  result: ClosedLoopResult;
  /** CPU µs the serving process spent per request in this round (NaN for the direct path). */
  cpuPerRequestUs: number;
}

/**
 * The figures of the hot-path issue, all in the same interleaved rounds: requests/s and CPU per
 * request of llmux's `/v1/chat/completions` and `/api/chat` against the bare proxy at 50
 * connections, added p50 at 1 connection, and added time to first streamed byte. Ratios are medians
 * of per-round pairs, with the interquartile range over rounds.
 */
export async function measureCeiling(context: BenchContext): Promise<BenchRow[]> {
  const { session, llmux, bare } = context;
  if (llmux === undefined) return [unavailableRow(SECTION, 'llmux against the bare proxy', context.llmuxMissing)];
  if (bare === undefined) return [unavailableRow(SECTION, 'llmux against the bare proxy', 'the bare proxy did not start')];
  await session.configureUpstream({ latencyMs: 0, streamChunks: 16, chunkDelayMs: 0 });
  const direct = openaiChatEndpoint('direct', session.upstreamOrigin, false);
  const viaBare = openaiChatEndpoint('bare proxy', bare.origin, false);
  const viaOpenai = openaiChatEndpoint('llmux /v1/chat/completions', llmux.origin, false);
  const viaOllama = ollamaChatEndpoint('llmux /api/chat', llmux.origin, false);
  const viaAnthropic = anthropicMessagesEndpoint('llmux /v1/messages', llmux.origin, false);
  const nginx = context.nginx;
  const viaNginx = nginx === undefined ? undefined : openaiChatEndpoint('nginx', nginx.origin, false);
  const bareFastify = context.bareFastify;
  const viaFastify = bareFastify === undefined ? undefined : openaiChatEndpoint('bare proxy in Fastify', bareFastify.origin, false);
  const bareTuned = context.bareTuned;
  const viaTuned = bareTuned === undefined ? undefined : openaiChatEndpoint("bare proxy with llmux's heap settings", bareTuned.origin, false);
  for (const endpoint of [viaBare, viaOpenai, viaOllama, viaAnthropic]) {
    const missing = await probeEndpoint(endpoint);
    if (missing !== undefined) return [unavailableRow(SECTION, endpoint.label, missing)];
  }
  const pidOf = (endpoint: BenchEndpoint): number | undefined =>
    endpoint === viaBare ? bare.pid : endpoint === direct ? undefined : endpoint === viaNginx ? nginx?.pid : endpoint === viaFastify ? bareFastify?.pid : endpoint === viaTuned ? bareTuned?.pid : llmux.pid;
  const measured = (connections: number) => async (endpoint: BenchEndpoint): Promise<Measured> => {
    const pid = pidOf(endpoint);
    const before = pid === undefined ? Number.NaN : processCpuMicros(pid);
    const result = await session.closedLoop(endpoint, connections, context.roundMs);
    const after = pid === undefined ? Number.NaN : processCpuMicros(pid);
    return { result, cpuPerRequestUs: (after - before) / Math.max(1, result.requests) };
  };

  const rows: BenchRow[] = [];
  const optional = [...(viaNginx === undefined ? [] : [viaNginx]), ...(viaFastify === undefined ? [] : [viaFastify])];
  const loaded = [direct, viaBare, viaOpenai, viaOllama, viaAnthropic, ...optional, ...(viaTuned === undefined ? [] : [viaTuned])];
  const run = measured(CONNECTIONS);
  for (const endpoint of loaded) await run(endpoint);
  const results = await interleaveRounds(context.rounds, loaded, run);
  const of = (endpoint: BenchEndpoint): Measured[] => results[loaded.indexOf(endpoint)] ?? [];
  for (const endpoint of loaded) noteErrors(context, `ceiling, ${endpoint.label}`, of(endpoint).map((entry) => entry.result));
  const rps = (endpoint: BenchEndpoint): number => median(of(endpoint).map((entry) => entry.result.requestsPerSecond));
  const cpu = (endpoint: BenchEndpoint): number => median(of(endpoint).map((entry) => entry.cpuPerRequestUs));
  const spread = (values: number[]): string => {
    const { low, high } = interquartileRange(values);
    return Number.isFinite(low) ? ` (IQR ${low.toFixed(2)}–${high.toFixed(2)})` : '';
  };
  const perRound = (a: BenchEndpoint, b: BenchEndpoint, pick: (entry: Measured) => number): number[] =>
    of(a).map((entry, index) => pick(entry) / pick(of(b)[index] ?? entry));

  rows.push({
    section: SECTION,
    figure: `req/s at ${CONNECTIONS} connections: bare proxy ÷ direct`,
    baseline: formatRate(rps(direct), 'req/s'),
    measured: formatRate(rps(viaBare), 'req/s'),
    result: formatRatio(median(perRound(viaBare, direct, (entry) => entry.result.requestsPerSecond))),
    target: '—',
    status: 'info',
  });
  if (viaNginx !== undefined) {
    rows.push({
      section: SECTION,
      figure: `req/s at ${CONNECTIONS} connections: nginx proxy_pass ÷ direct (CPU per request, /proc: ${formatMicros(cpu(viaNginx))})`,
      baseline: formatRate(rps(direct), 'req/s'),
      measured: formatRate(rps(viaNginx), 'req/s'),
      result: formatRatio(median(perRound(viaNginx, direct, (entry) => entry.result.requestsPerSecond))),
      target: '—',
      status: 'info',
    });
  }
  for (const endpoint of [viaOpenai, viaOllama]) {
    const ratios = perRound(endpoint, viaBare, (entry) => entry.result.requestsPerSecond);
    const ratio = median(ratios);
    rows.push({
      section: SECTION,
      figure: `req/s ${endpoint.label} ÷ bare proxy (÷ direct: ${formatRatio(median(perRound(endpoint, direct, (entry) => entry.result.requestsPerSecond)))})`,
      baseline: formatRate(rps(viaBare), 'req/s'),
      measured: formatRate(rps(endpoint), 'req/s'),
      result: formatRatio(ratio) + spread(ratios),
      target: `≥ ${MIN_RPS_TO_BARE.toFixed(2)}×`,
      status: atLeast(ratio, MIN_RPS_TO_BARE),
    });
    const cpuRatios = perRound(endpoint, viaBare, (entry) => entry.cpuPerRequestUs);
    const cpuRatio = median(cpuRatios);
    rows.push({
      section: SECTION,
      figure: `CPU per request ${endpoint.label} ÷ bare proxy (/proc)`,
      baseline: formatMicros(cpu(viaBare)),
      measured: formatMicros(cpu(endpoint)),
      result: formatRatio(cpuRatio) + spread(cpuRatios),
      target: `≤ ${MAX_CPU_TO_BARE.toFixed(2)}×`,
      status: atMost(cpuRatio, MAX_CPU_TO_BARE),
    });
  }

  if (viaFastify !== undefined) {
    // The framework's own share: llmux keeps Fastify, so this is the part of the bare-proxy ratio no llmux change can remove.
    const fastifyCpuRatios = perRound(viaFastify, viaBare, (entry) => entry.cpuPerRequestUs);
    const llmuxCpuRatios = perRound(viaOpenai, viaFastify, (entry) => entry.cpuPerRequestUs);
    rows.push({
      section: SECTION,
      figure: 'CPU per request: the bare proxy inside Fastify ÷ bare proxy / llmux /v1/chat/completions ÷ the bare proxy inside Fastify (/proc)',
      baseline: formatMicros(cpu(viaFastify)),
      measured: formatMicros(cpu(viaOpenai)),
      result: `${formatRatio(median(fastifyCpuRatios))}${spread(fastifyCpuRatios)} / ${formatRatio(median(llmuxCpuRatios))}${spread(llmuxCpuRatios)}`,
      target: '—',
      status: 'info',
    });
  }

  if (viaTuned !== undefined) {
    // The same proxy under llmux's own heap settings: the part of the bare-proxy ratio that is those settings, not llmux's code.
    const tunedCpuRatios = perRound(viaTuned, viaBare, (entry) => entry.cpuPerRequestUs);
    const llmuxCpuRatios = perRound(viaOpenai, viaTuned, (entry) => entry.cpuPerRequestUs);
    rows.push({
      section: SECTION,
      figure: `CPU per request: the bare proxy with llmux's heap settings (${bareTuned?.flags ?? ''}) ÷ bare proxy / llmux /v1/chat/completions ÷ it (/proc)`,
      baseline: formatMicros(cpu(viaTuned)),
      measured: formatMicros(cpu(viaOpenai)),
      result: `${formatRatio(median(tunedCpuRatios))}${spread(tunedCpuRatios)} / ${formatRatio(median(llmuxCpuRatios))}${spread(llmuxCpuRatios)}`,
      target: '—',
      status: 'info',
    });
  }

  // The Anthropic ingress against the OpenAI one, same upstream: the issue's ≥ 0.9 ratio.
  const anthropicRatios = perRound(viaAnthropic, viaOpenai, (entry) => entry.result.requestsPerSecond);
  const anthropicCpuRatios = perRound(viaAnthropic, viaOpenai, (entry) => entry.cpuPerRequestUs);
  rows.push(
    {
      section: SECTION,
      figure: 'req/s llmux /v1/messages ÷ llmux /v1/chat/completions',
      baseline: formatRate(rps(viaOpenai), 'req/s'),
      measured: formatRate(rps(viaAnthropic), 'req/s'),
      result: formatRatio(median(anthropicRatios)) + spread(anthropicRatios),
      target: `≥ ${MIN_RPS_TO_BARE.toFixed(2)}×`,
      status: atLeast(median(anthropicRatios), MIN_RPS_TO_BARE),
    },
    {
      section: SECTION,
      figure: 'CPU per request llmux /v1/messages ÷ llmux /v1/chat/completions (/proc)',
      baseline: formatMicros(cpu(viaOpenai)),
      measured: formatMicros(cpu(viaAnthropic)),
      result: formatRatio(median(anthropicCpuRatios)) + spread(anthropicCpuRatios),
      target: `≤ ${(1 / MIN_RPS_TO_BARE).toFixed(2)}×`,
      status: atMost(median(anthropicCpuRatios), 1 / MIN_RPS_TO_BARE),
    },
  );

  // One connection: the added p50 of each path over direct, and llmux's excess over the bare proxy.
  const single = measured(1);
  const latencyEndpoints = [direct, viaBare, viaOpenai, viaOllama, viaAnthropic, ...optional];
  for (const endpoint of latencyEndpoints) await single(endpoint);
  const latency = await interleaveRounds(context.rounds, latencyEndpoints, single);
  const singleOf = (endpoint: BenchEndpoint): ClosedLoopResult[] => (latency[latencyEndpoints.indexOf(endpoint)] ?? []).map((entry) => entry.result);
  const addedPerRound = (endpoint: BenchEndpoint): number[] => {
    const base = singleOf(direct);
    return singleOf(endpoint).flatMap((result, index) => (base[index] === undefined ? [] : [result.latencyUs.p50 - (base[index]?.latencyUs.p50 ?? Number.NaN)]));
  };
  const added = (endpoint: BenchEndpoint): number => pairedMedian(singleOf(endpoint), singleOf(direct), (a, b) => a.latencyUs.p50 - b.latencyUs.p50);
  const reported = (endpoint: BenchEndpoint): number => median(singleOf(endpoint).map((result) => result.reportedOverheadMs ?? Number.NaN)) * 1000;
  const bareAdded = added(viaBare);
  const llmuxAdded = added(viaOpenai);
  if (viaNginx !== undefined) {
    rows.push({
      section: SECTION,
      figure: 'added p50 at 1 connection: nginx (over direct)',
      baseline: '—',
      measured: formatMicros(added(viaNginx), true),
      result: '',
      target: '—',
      status: 'info',
    });
  }
  rows.push({
    section: SECTION,
    figure: 'added p50 at 1 connection: bare proxy / llmux (over direct)',
    baseline: formatMicros(bareAdded, true),
    measured: formatMicros(llmuxAdded, true),
    result: formatMicros(llmuxAdded - bareAdded, true) + ' over bare',
    target: `≤ +${MAX_P50_OVER_BARE_US} µs`,
    status: atMost(llmuxAdded - bareAdded, MAX_P50_OVER_BARE_US),
  });
  rows.push(...overheadRows(SECTION, bareAdded, reported(viaBare), llmuxAdded, reported(viaOpenai)));
  context.tables.push(issueTable(SECTION, `${context.rounds} interleaved rounds`, CONNECTIONS, { direct, viaBare, viaFastify, viaOpenai, viaOllama, viaAnthropic, viaNginx }, { rps: perRound, cpu, cpuPerRound: (endpoint) => of(endpoint).map((entry) => entry.cpuPerRequestUs), added, addedPerRound }));

  // Streaming: time to first byte over the bare proxy's.
  await session.configureUpstream({ latencyMs: 0, streamChunks: STREAM_CHUNKS, chunkDelayMs: STREAM_CHUNK_DELAY_MS });
  const streamEndpoints = [
    openaiChatEndpoint('direct', session.upstreamOrigin, true),
    openaiChatEndpoint('bare proxy', bare.origin, true),
    openaiChatEndpoint('llmux', llmux.origin, true),
    ...(nginx === undefined ? [] : [openaiChatEndpoint('nginx', nginx.origin, true)]),
    ...(bareFastify === undefined ? [] : [openaiChatEndpoint('bare proxy in Fastify', bareFastify.origin, true)]),
  ];
  const fastifyStreamIndex = bareFastify === undefined ? -1 : streamEndpoints.length - 1;
  const probe = (endpoint: BenchEndpoint): Promise<StreamProbeResult> => session.streamProbe(endpoint, 25, 20_000);
  for (const endpoint of streamEndpoints) await probe(endpoint);
  const streams = await interleaveRounds(context.rounds, streamEndpoints, probe);
  const firstByte = (index: number, other: number): number => pairedMedian(streams[index] ?? [], streams[other] ?? [], (a, b) => a.firstByteUs.p50 - b.firstByteUs.p50);
  const lastByte = (index: number, other: number): number => pairedMedian(streams[index] ?? [], streams[other] ?? [], (a, b) => a.lastByteUs.p50 - b.lastByteUs.p50);
  if (nginx !== undefined) {
    rows.push({
      section: SECTION,
      figure: `stream of ${STREAM_CHUNKS} chunks: added time to first / last byte, nginx (over direct)`,
      baseline: '—',
      measured: `${formatMicros(firstByte(3, 0), true)} / ${formatMicros(lastByte(3, 0), true)}`,
      result: '',
      target: '—',
      status: 'info',
    });
  }
  rows.push(
    {
      section: SECTION,
      figure: `stream of ${STREAM_CHUNKS} chunks: added time to first byte, bare proxy / llmux (over direct)`,
      baseline: formatMicros(firstByte(1, 0), true),
      measured: formatMicros(firstByte(2, 0), true),
      result: formatMicros(firstByte(2, 1), true) + ' over bare',
      target: `≤ +${MAX_FIRST_BYTE_OVER_BARE_US} µs`,
      status: atMost(firstByte(2, 1), MAX_FIRST_BYTE_OVER_BARE_US),
    },
    ...(fastifyStreamIndex < 0
      ? []
      : [
          {
            section: SECTION,
            // How much of the first-byte budget the framework alone takes, before any of llmux's own work.
            figure: 'stream: added time to first byte, the bare proxy inside Fastify (over direct / over the bare proxy)',
            baseline: '—',
            measured: formatMicros(firstByte(fastifyStreamIndex, 0), true),
            result: formatMicros(firstByte(fastifyStreamIndex, 1), true) + ' over bare',
            target: '—',
            status: 'info' as const,
          },
        ]),
    {
      section: SECTION,
      figure: 'stream: added time to last byte, bare proxy / llmux (over direct)',
      baseline: formatMicros(lastByte(1, 0), true),
      measured: formatMicros(lastByte(2, 0), true),
      result: formatMicros(lastByte(2, 1), true) + ' over bare',
      target: '—',
      status: 'info',
    },
  );
  return rows;
}

