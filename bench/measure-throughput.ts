import { noteErrors, type BenchContext } from './bench-context.ts';
import { anthropicMessagesEndpoint, ollamaChatEndpoint, openaiChatEndpoint, probeEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { interleaveRounds } from './bench-session.ts';
import { atLeast, atMost, formatMicros, formatRate, formatRatio, unavailableRow } from './format-figure.ts';
import type { ClosedLoopResult } from './load-job.ts';
import { median, pairedMedian } from './percentile.ts';

const CONNECTIONS = 50;
const SECTION = `Throughput: non-streaming, ${CONNECTIONS} connections`;
const OLLAMA_SECTION = 'Ollama /api/chat';
const MIN_RATIO_TO_DIRECT = 0.25;
const MIN_OLLAMA_RATIO = 0.9;
const ANTHROPIC_SECTION = 'Anthropic /v1/messages';
const MIN_ANTHROPIC_RATIO = 0.9;

/**
 * Requests/s at 50 connections: direct, through llmux's `/v1/chat/completions`, its `/api/chat`
 * and its `/v1/messages`, interleaved in the same rounds so all of them see the same machine.
 */
export async function measureThroughput(context: BenchContext): Promise<BenchRow[]> {
  const { session, llmux } = context;
  if (llmux === undefined) {
    return [
      unavailableRow(SECTION, 'req/s through llmux', context.llmuxMissing),
      unavailableRow(OLLAMA_SECTION, '/api/chat req/s', context.llmuxMissing),
      unavailableRow(ANTHROPIC_SECTION, '/v1/messages req/s', context.llmuxMissing),
    ];
  }
  const direct = openaiChatEndpoint('direct', session.upstreamOrigin, false);
  const viaOpenai = openaiChatEndpoint('llmux /v1/chat/completions', llmux.origin, false);
  const viaOllama = ollamaChatEndpoint('llmux /api/chat', llmux.origin, false);
  const viaAnthropic = anthropicMessagesEndpoint('llmux /v1/messages', llmux.origin, false);
  const openaiMissing = await probeEndpoint(viaOpenai);
  const ollamaMissing = await probeEndpoint(viaOllama);
  const anthropicMissing = await probeEndpoint(viaAnthropic);
  const endpoints: BenchEndpoint[] = [direct];
  if (openaiMissing === undefined) endpoints.push(viaOpenai);
  if (ollamaMissing === undefined) endpoints.push(viaOllama);
  if (anthropicMissing === undefined) endpoints.push(viaAnthropic);

  const run = (endpoint: BenchEndpoint): Promise<ClosedLoopResult> => session.closedLoop(endpoint, CONNECTIONS, context.roundMs);
  for (const endpoint of endpoints) await run(endpoint); // warm-up: JIT, keep-alive pools, caches
  const results = await interleaveRounds(context.rounds, endpoints, run);
  const of = (endpoint: BenchEndpoint): ClosedLoopResult[] => results[endpoints.indexOf(endpoint)] ?? [];
  const rps = (list: readonly ClosedLoopResult[]): number => median(list.map((result) => result.requestsPerSecond));
  const latencies = (list: readonly ClosedLoopResult[]): string =>
    `${formatMicros(median(list.map((result) => result.latencyUs.p50)))} / ${formatMicros(median(list.map((result) => result.latencyUs.p99)))}`;
  const directErrors = noteErrors(context, 'throughput, direct', of(direct));

  const rows: BenchRow[] = [];
  if (openaiMissing !== undefined) {
    rows.push(unavailableRow(SECTION, 'req/s through llmux', openaiMissing));
  } else {
    const ratio = pairedMedian(of(viaOpenai), of(direct), (through, straight) => through.requestsPerSecond / straight.requestsPerSecond);
    const errors = noteErrors(context, 'throughput, llmux /v1/chat/completions', of(viaOpenai));
    rows.push(
      {
        section: SECTION,
        figure: 'req/s /v1/chat/completions (ratio to direct)',
        baseline: formatRate(rps(of(direct)), 'req/s'),
        measured: formatRate(rps(of(viaOpenai)), 'req/s'),
        result: formatRatio(ratio),
        target: `≥ ${MIN_RATIO_TO_DIRECT.toFixed(2)}×`,
        status: atLeast(ratio, MIN_RATIO_TO_DIRECT),
      },
      {
        section: SECTION,
        figure: 'latency under load p50 / p99',
        baseline: latencies(of(direct)),
        measured: latencies(of(viaOpenai)),
        result: '',
        target: '—',
        status: 'info',
      },
      {
        section: SECTION,
        figure: 'failed requests',
        baseline: String(directErrors),
        measured: String(errors),
        result: '',
        target: '0',
        status: atMost(directErrors + errors, 0),
      },
    );
  }

  if (ollamaMissing !== undefined) {
    rows.push(unavailableRow(OLLAMA_SECTION, '/api/chat req/s', ollamaMissing));
  } else if (openaiMissing !== undefined) {
    rows.push(unavailableRow(OLLAMA_SECTION, '/api/chat vs /v1/chat/completions req/s', openaiMissing));
  } else {
    const ratio = pairedMedian(of(viaOllama), of(viaOpenai), (ollama, openai) => ollama.requestsPerSecond / openai.requestsPerSecond);
    const errors = noteErrors(context, 'throughput, llmux /api/chat', of(viaOllama));
    rows.push({
      section: OLLAMA_SECTION,
      figure: `req/s /api/chat vs /v1/chat/completions, both via llmux, ${CONNECTIONS} conns`,
      baseline: formatRate(rps(of(viaOpenai)), 'req/s'),
      measured: formatRate(rps(of(viaOllama)), 'req/s') + (errors > 0 ? ` (${errors} failed)` : ''),
      result: formatRatio(ratio),
      target: `≥ ${MIN_OLLAMA_RATIO.toFixed(2)}×`,
      status: errors > 0 ? 'MISS' : atLeast(ratio, MIN_OLLAMA_RATIO),
      point: 5,
    });
  }
  if (anthropicMissing !== undefined || openaiMissing !== undefined) {
    rows.push(unavailableRow(ANTHROPIC_SECTION, '/v1/messages req/s', anthropicMissing ?? openaiMissing ?? ''));
  } else {
    const ratio = pairedMedian(of(viaAnthropic), of(viaOpenai), (anthropic, openai) => anthropic.requestsPerSecond / openai.requestsPerSecond);
    const errors = noteErrors(context, 'throughput, llmux /v1/messages', of(viaAnthropic));
    rows.push({
      section: ANTHROPIC_SECTION,
      figure: `req/s /v1/messages vs /v1/chat/completions, both via llmux, ${CONNECTIONS} conns`,
      baseline: formatRate(rps(of(viaOpenai)), 'req/s'),
      measured: formatRate(rps(of(viaAnthropic)), 'req/s') + (errors > 0 ? ` (${errors} failed)` : ''),
      result: formatRatio(ratio),
      target: `≥ ${MIN_ANTHROPIC_RATIO.toFixed(2)}×`,
      status: errors > 0 ? 'MISS' : atLeast(ratio, MIN_ANTHROPIC_RATIO),
      point: 5,
    });
  }
  return rows;
}
