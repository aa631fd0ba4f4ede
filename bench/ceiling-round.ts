import { anthropicMessagesEndpoint, ollamaChatEndpoint, openaiChatEndpoint, probeEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import type { BenchSession } from './bench-session.ts';
import type { CeilingProcesses, CeilingServer } from './ceiling-processes.ts';
import { closedLoopWithCpu, type Measured } from './closed-loop-cpu.ts';
import type { StreamProbeResult } from './load-job.ts';
import { WARM_STREAMS_PER_PATH, WARM_STREAM_CONNECTIONS, warmRequestsPerPath } from './warm-up.ts';

/** The paths the ceiling section compares, by the label its rows use. */
export const PATH = {
  direct: 'direct',
  bare: 'bare proxy',
  fastify: 'bare proxy in Fastify',
  tuned: "bare proxy with llmux's heap settings",
  nginx: 'nginx',
  openai: 'llmux /v1/chat/completions',
  ollama: 'llmux /api/chat',
  anthropic: 'llmux /v1/messages',
} as const;
export type PathLabel = (typeof PATH)[keyof typeof PATH];

export const CONNECTIONS = 50;
export const STREAM_CHUNKS = 20;
const STREAM_CHUNK_DELAY_MS = 1;
const STREAM_PROBES = 25;

/** What one round measured, by path: closed loops at 50 connections and at 1, and streamed first/last bytes. */
export interface CeilingRound {
  loaded: Map<PathLabel, Measured>;
  single: Map<PathLabel, Measured>;
  streams: Map<PathLabel, StreamProbeResult>;
}

/**
 * One round on a fresh set of servers: each Node server warmed up (WARM_REQUESTS_PER_PROCESS at 50
 * connections, shared by its paths; then WARM_STREAMS_PER_PATH streams on each streamed path, and
 * one stream probe per streamed path), then every path at 50
 * connections, at 1, and streamed, in the round's order (reversed on odd rounds). A string says
 * which route did not answer as it should.
 */
export async function measureCeilingRound(
  session: BenchSession,
  processes: CeilingProcesses,
  nginx: CeilingServer | undefined,
  round: number,
  roundMs: number,
): Promise<CeilingRound | string> {
  const { llmux, bare, bareFastify, bareTuned } = processes;
  const optional: Array<[PathLabel, CeilingServer | undefined]> = [
    [PATH.nginx, nginx],
    [PATH.fastify, bareFastify],
    [PATH.tuned, bareTuned],
  ];
  const servers: Array<[PathLabel, CeilingServer | undefined]> = [
    [PATH.direct, undefined],
    [PATH.bare, bare],
    [PATH.openai, llmux],
    [PATH.ollama, llmux],
    [PATH.anthropic, llmux],
    ...optional.filter(([, server]) => server !== undefined),
  ];
  const pidOf = new Map(servers.map(([label, server]) => [label, server?.pid]));
  const endpointOf = (label: PathLabel, stream: boolean): BenchEndpoint => {
    const origin = servers.find(([entry]) => entry === label)?.[1]?.origin ?? session.upstreamOrigin;
    if (label === PATH.ollama) return ollamaChatEndpoint(label, origin, stream);
    if (label === PATH.anthropic) return anthropicMessagesEndpoint(label, origin, stream);
    return openaiChatEndpoint(label, origin, stream);
  };
  const ordered = <T>(items: readonly T[]): T[] => (round % 2 === 1 ? [...items].reverse() : [...items]);
  const labels = servers.map(([label]) => label);
  // Round 0 probes every route first: a route that does not answer as it should fails the section, not a median.
  if (round === 0) {
    for (const label of [PATH.bare, PATH.openai, PATH.ollama, PATH.anthropic]) {
      const missing = await probeEndpoint(endpointOf(label, false));
      if (missing !== undefined) return `${label}: ${missing}`;
    }
  }
  const closedLoop = (label: PathLabel, connections: number, durationMs: number, count?: number): Promise<Measured> =>
    closedLoopWithCpu(session, endpointOf(label, false), pidOf.get(label), connections, durationMs, count);

  await session.configureUpstream({ latencyMs: 0, streamChunks: 16, chunkDelayMs: 0 });
  // Nothing measured comes from a young process (the direct path and nginx need no warming).
  const warmed = (label: PathLabel): boolean => label !== PATH.direct && label !== PATH.nginx;
  const pathsOf = (server: CeilingServer | undefined): number => servers.filter(([, other]) => other === server).length;
  for (const [label, server] of ordered(servers)) {
    if (server !== undefined && warmed(label)) await closedLoop(label, CONNECTIONS, 120_000, warmRequestsPerPath(pathsOf(server)));
  }
  const streamLabels = labels.filter((label) => label !== PATH.ollama && label !== PATH.anthropic && label !== PATH.tuned);
  // The streamed path's own code (stream decoders, encoders, the writer) is warmed too, as a
  // gateway serving streaming clients has it: the plain warm-up does not run it.
  for (const label of ordered(streamLabels.filter(warmed))) {
    await session.closedLoop(endpointOf(label, true), WARM_STREAM_CONNECTIONS, 120_000, WARM_STREAMS_PER_PATH);
  }
  const loaded = new Map<PathLabel, Measured>();
  for (const label of ordered(labels)) loaded.set(label, await closedLoop(label, CONNECTIONS, roundMs));
  const single = new Map<PathLabel, Measured>();
  for (const label of ordered(labels.filter((label) => label !== PATH.tuned))) single.set(label, await closedLoop(label, 1, roundMs));

  await session.configureUpstream({ latencyMs: 0, streamChunks: STREAM_CHUNKS, chunkDelayMs: STREAM_CHUNK_DELAY_MS });
  const probe = (label: PathLabel): Promise<StreamProbeResult> => session.streamProbe(endpointOf(label, true), STREAM_PROBES, 20_000);
  for (const label of ordered(streamLabels.filter(warmed))) await probe(label);
  const streams = new Map<PathLabel, StreamProbeResult>();
  for (const label of ordered(streamLabels)) streams.set(label, await probe(label));
  return { loaded, single, streams };
}
