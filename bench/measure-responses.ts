import { noteErrors, type BenchContext } from './bench-context.ts';
import { openaiChatEndpoint, probeEndpoint, responsesEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { interleaveRounds } from './bench-session.ts';
import { atLeast, atMost, formatMicros, formatRate, formatRatio, unavailableRow } from './format-figure.ts';
import type { ClosedLoopResult } from './load-job.ts';
import { median, pairedMedian } from './percentile.ts';
import { closedLoopWithCpu, type Measured } from './closed-loop-cpu.ts';

const SECTION = 'Responses API /v1/responses';
const CONNECTIONS = 50;
const STREAM_CONNECTIONS = 10;
const STREAM_CHUNKS = 100;
const MIN_RATIO = 0.9;

/**
 * `/v1/responses` against `/v1/chat/completions`, both through llmux to the same fake upstream,
 * interleaved in the same rounds: requests/s without streaming, and requests/s of 100-chunk
 * streams (each chunk a `response.output_text.delta` event on one side, a chat chunk on the other).
 * Requests/s is the whole machine's: the load generator shares its two cores, and a Responses
 * stream carries about a third more bytes for it to read (each item's text again in its `.done`
 * events and in `response.completed`). llmux's own CPU per request, from /proc, is the row that
 * says whether llmux pays the same for both protocols.
 */
export async function measureResponses(context: BenchContext): Promise<BenchRow[]> {
  const { session, llmux } = context;
  if (llmux === undefined) return [unavailableRow(SECTION, 'req/s vs /v1/chat/completions', context.llmuxMissing)];
  const chat = openaiChatEndpoint('llmux /v1/chat/completions', llmux.origin, false);
  const responses = responsesEndpoint('llmux /v1/responses', llmux.origin, false);
  const missing = (await probeEndpoint(chat)) ?? (await probeEndpoint(responses));
  if (missing !== undefined) return [unavailableRow(SECTION, 'req/s vs /v1/chat/completions', missing)];
  const rows = await compare(context, chat, responses, CONNECTIONS, `req/s non-streaming, ${CONNECTIONS} conns (ratio to /v1/chat/completions)`, 'non-streaming');

  await session.configureUpstream({ latencyMs: 0, streamChunks: STREAM_CHUNKS, chunkDelayMs: 0 });
  const chatStream = openaiChatEndpoint('llmux /v1/chat/completions stream', llmux.origin, true);
  const responsesStream = responsesEndpoint('llmux /v1/responses stream', llmux.origin, true);
  const streamMissing = await probeEndpoint(responsesStream);
  if (streamMissing !== undefined) rows.push(unavailableRow(SECTION, 'streams/s', streamMissing));
  else rows.push(...(await compare(context, chatStream, responsesStream, STREAM_CONNECTIONS, `${STREAM_CHUNKS}-chunk streams/s, ${STREAM_CONNECTIONS} conns (ratio to /v1/chat/completions)`, `${STREAM_CHUNKS}-chunk streams`)));
  return rows;
}

async function compare(context: BenchContext, chat: BenchEndpoint, responses: BenchEndpoint, connections: number, figure: string, kind: string): Promise<BenchRow[]> {
  const pid = context.llmux?.pid;
  const run = (endpoint: BenchEndpoint): Promise<Measured> => closedLoopWithCpu(context.session, endpoint, pid, connections, context.roundMs);
  await run(chat);
  await run(responses);
  const [chatRounds = [], responsesRounds = []] = await interleaveRounds(context.rounds, [chat, responses], run);
  const chatResults = chatRounds.map((round) => round.result);
  const responsesResults = responsesRounds.map((round) => round.result);
  const errors = noteErrors(context, `responses, ${responses.label}`, responsesResults) + noteErrors(context, `responses, ${chat.label}`, chatResults);
  const rps = (list: readonly ClosedLoopResult[]): number => median(list.map((result) => result.requestsPerSecond));
  const ratio = pairedMedian(responsesResults, chatResults, (a, b) => a.requestsPerSecond / b.requestsPerSecond);
  const cpu = (list: readonly Measured[]): number => median(list.map((round) => round.cpuPerRequestUs));
  const cpuRatio = pairedMedian(responsesRounds, chatRounds, (a, b) => a.cpuPerRequestUs / b.cpuPerRequestUs);
  const maxCpuRatio = 1 / MIN_RATIO;
  return [
    {
      section: SECTION,
      figure,
      baseline: formatRate(rps(chatResults), 'req/s'),
      measured: formatRate(rps(responsesResults), 'req/s') + (errors > 0 ? ` (${errors} failed)` : ''),
      result: formatRatio(ratio),
      target: `≥ ${MIN_RATIO.toFixed(2)}×`,
      status: errors > 0 ? 'MISS' : atLeast(ratio, MIN_RATIO),
      point: 5,
    },
    {
      section: SECTION,
      figure: `llmux CPU per request, ${kind}, /v1/responses ÷ /v1/chat/completions (/proc, same rounds)`,
      baseline: formatMicros(cpu(chatRounds)),
      measured: formatMicros(cpu(responsesRounds)),
      result: formatRatio(cpuRatio),
      target: `≤ ${maxCpuRatio.toFixed(2)}×`,
      status: errors > 0 ? 'MISS' : atMost(cpuRatio, maxCpuRatio),
      point: 5,
    },
  ];
}
