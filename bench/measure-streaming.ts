import { noteErrors, type BenchContext } from './bench-context.ts';
import { anthropicMessagesEndpoint, ollamaChatEndpoint, openaiChatEndpoint, probeEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { interleaveRounds } from './bench-session.ts';
import { atLeast, atMost, formatMicros, formatRate, formatRatio, unavailableRow } from './format-figure.ts';
import type { ClosedLoopResult, StreamProbeResult } from './load-job.ts';
import { median, pairedMedian } from './percentile.ts';

const PROBE_CHUNKS = 20;
const PROBE_CHUNK_DELAY_MS = 1;
const PROBES_PER_ROUND = 25;
const SECTION = `Streaming: 1 connection, ${PROBE_CHUNKS} chunks ${PROBE_CHUNK_DELAY_MS} ms apart`;
const OLLAMA_SECTION = 'Ollama /api/chat';
const ANTHROPIC_SECTION = 'Anthropic /v1/messages';
const MIN_ANTHROPIC_RATIO = 0.9;
const MAX_ADDED_FIRST_BYTE_US = 1000;

const THROUGHPUT_CHUNKS = 100;
const THROUGHPUT_CONNECTIONS = 10;
const THROUGHPUT_SECTION = `Stream chunk throughput: ${THROUGHPUT_CONNECTIONS} connections, ${THROUGHPUT_CHUNKS} chunks back to back`;

type Pick = (result: StreamProbeResult) => number;
const firstByte: Pick = (result) => result.firstByteUs.p50;
const firstLine: Pick = (result) => result.firstLineUs.p50;
const lastByte: Pick = (result) => result.lastByteUs.p50;

/**
 * Time to first streamed byte / line and to the last byte, direct (the fake's SSE) vs through
 * llmux's `/v1/chat/completions` (SSE) and `/api/chat` (NDJSON), interleaved in the same rounds.
 */
export async function measureStreaming(context: BenchContext): Promise<BenchRow[]> {
  const { session, llmux } = context;
  if (llmux === undefined) {
    return [
      unavailableRow(SECTION, 'added time to first byte', context.llmuxMissing),
      unavailableRow(OLLAMA_SECTION, 'streaming /api/chat', context.llmuxMissing),
      unavailableRow(ANTHROPIC_SECTION, 'streaming /v1/messages', context.llmuxMissing),
    ];
  }
  await session.configureUpstream({ latencyMs: 0, streamChunks: PROBE_CHUNKS, chunkDelayMs: PROBE_CHUNK_DELAY_MS });
  const direct = openaiChatEndpoint('direct', session.upstreamOrigin, true);
  const viaOpenai = openaiChatEndpoint('llmux /v1/chat/completions', llmux.origin, true);
  const viaOllama = ollamaChatEndpoint('llmux /api/chat', llmux.origin, true);
  const viaAnthropic = anthropicMessagesEndpoint('llmux /v1/messages', llmux.origin, true);
  const openaiMissing = await probeEndpoint(viaOpenai);
  const ollamaMissing = await probeEndpoint(viaOllama);
  const anthropicMissing = await probeEndpoint(viaAnthropic);
  const endpoints: BenchEndpoint[] = [direct];
  if (openaiMissing === undefined) endpoints.push(viaOpenai);
  if (ollamaMissing === undefined) endpoints.push(viaOllama);
  if (anthropicMissing === undefined) endpoints.push(viaAnthropic);

  const run = (endpoint: BenchEndpoint): Promise<StreamProbeResult> => session.streamProbe(endpoint, PROBES_PER_ROUND, 20_000);
  for (const endpoint of endpoints) await run(endpoint);
  const results = await interleaveRounds(context.rounds, endpoints, run);
  const of = (endpoint: BenchEndpoint): StreamProbeResult[] => results[endpoints.indexOf(endpoint)] ?? [];
  noteErrors(context, 'streaming, direct', of(direct));

  const compare = (section: string, figure: string, through: BenchEndpoint, pick: Pick, limitUs?: number): BenchRow => {
    const added = pairedMedian(of(through), of(direct), (a, b) => pick(a) - pick(b));
    return {
      section,
      figure,
      baseline: formatMicros(median(of(direct).map(pick))),
      measured: formatMicros(median(of(through).map(pick))),
      result: formatMicros(added, true),
      target: limitUs === undefined ? '—' : `≤ ${formatMicros(limitUs)}`,
      status: limitUs === undefined ? 'info' : atMost(added, limitUs),
    };
  };
  const rows: BenchRow[] = [];
  if (openaiMissing !== undefined) {
    rows.push(unavailableRow(SECTION, 'added time to first byte', openaiMissing));
  } else {
    noteErrors(context, 'streaming, llmux /v1/chat/completions', of(viaOpenai));
    rows.push(
      compare(SECTION, 'added time to first streamed byte (p50)', viaOpenai, firstByte, MAX_ADDED_FIRST_BYTE_US),
      compare(SECTION, 'added total stream time (p50)', viaOpenai, lastByte),
    );
  }
  if (ollamaMissing !== undefined) {
    rows.push(unavailableRow(OLLAMA_SECTION, 'streaming /api/chat', ollamaMissing));
  } else {
    noteErrors(context, 'streaming, llmux /api/chat', of(viaOllama));
    rows.push(
      compare(OLLAMA_SECTION, 'stream: added time to first line vs direct SSE (p50)', viaOllama, firstLine, MAX_ADDED_FIRST_BYTE_US),
      compare(OLLAMA_SECTION, 'stream: added total stream time (p50)', viaOllama, lastByte),
    );
  }
  if (anthropicMissing !== undefined) {
    rows.push(unavailableRow(ANTHROPIC_SECTION, 'streaming /v1/messages', anthropicMissing));
  } else {
    noteErrors(context, 'streaming, llmux /v1/messages', of(viaAnthropic));
    rows.push(
      compare(ANTHROPIC_SECTION, 'stream: added time to first byte vs direct SSE (p50)', viaAnthropic, firstByte, MAX_ADDED_FIRST_BYTE_US),
      compare(ANTHROPIC_SECTION, 'stream: added total stream time (p50)', viaAnthropic, lastByte),
    );
  }
  if (openaiMissing === undefined) rows.push(...(await measureChunkThroughput(context, direct, viaOpenai, anthropicMissing === undefined ? viaAnthropic : undefined)));
  return rows;
}

/** Streamed chunks per second when the upstream writes them back to back (no target; a ratio). */
async function measureChunkThroughput(context: BenchContext, direct: BenchEndpoint, through: BenchEndpoint, anthropic?: BenchEndpoint): Promise<BenchRow[]> {
  const { session } = context;
  await session.configureUpstream({ latencyMs: 0, streamChunks: THROUGHPUT_CHUNKS, chunkDelayMs: 0 });
  const run = (endpoint: BenchEndpoint): Promise<ClosedLoopResult> => session.closedLoop(endpoint, THROUGHPUT_CONNECTIONS, context.roundMs);
  const endpoints = anthropic === undefined ? [direct, through] : [direct, through, anthropic];
  for (const endpoint of endpoints) await run(endpoint);
  const [directResults = [], throughResults = [], anthropicResults = []] = await interleaveRounds(context.rounds, endpoints, run);
  noteErrors(context, 'chunk throughput, direct', directResults);
  noteErrors(context, 'chunk throughput, llmux', throughResults);
  const chunksPerSecond = (list: readonly ClosedLoopResult[]): number => median(list.map((result) => result.requestsPerSecond * THROUGHPUT_CHUNKS));
  const ratio = pairedMedian(throughResults, directResults, (a, b) => a.requestsPerSecond / b.requestsPerSecond);
  const rows: BenchRow[] = [
    {
      section: THROUGHPUT_SECTION,
      figure: 'streamed chunks/s /v1/chat/completions (ratio to direct)',
      baseline: formatRate(chunksPerSecond(directResults), 'chunks/s'),
      measured: formatRate(chunksPerSecond(throughResults), 'chunks/s'),
      result: formatRatio(ratio),
      target: '—',
      status: 'info',
    },
  ];
  if (anthropic !== undefined) {
    noteErrors(context, 'chunk throughput, llmux /v1/messages', anthropicResults);
    const anthropicRatio = pairedMedian(anthropicResults, throughResults, (a, b) => a.requestsPerSecond / b.requestsPerSecond);
    rows.push({
      section: ANTHROPIC_SECTION,
      figure: `streamed chunks/s /v1/messages vs /v1/chat/completions, ${THROUGHPUT_CONNECTIONS} conns`,
      baseline: formatRate(chunksPerSecond(throughResults), 'chunks/s'),
      measured: formatRate(chunksPerSecond(anthropicResults), 'chunks/s'),
      result: formatRatio(anthropicRatio),
      target: `≥ ${MIN_ANTHROPIC_RATIO.toFixed(2)}×`,
      status: atLeast(anthropicRatio, MIN_ANTHROPIC_RATIO),
      point: 5,
    });
  }
  return rows;
}
