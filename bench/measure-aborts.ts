import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { BenchEndpoint } from './bench-endpoint.ts';
import type { BenchSession } from './bench-session.ts';
import { BENCH_CLIENT_KEY } from './fake-upstream.ts';

/** When the clients give up: while llmux still waits for the upstream's headers, or mid-stream. */
export type AbortPhase = 'waiting' | 'streaming';

export interface AbortRound {
  label: string;
  phase: AbortPhase;
  sent: number;
  /** Requests the upstream had open when the clients aborted. */
  heldUpstream: number;
  /** Clients that had their answer's headers (a stream flowing, or opened with pings) when they aborted. */
  withHeaders: number;
  /** Requests answered in full before the abort (a non-streamed answer to a streaming upstream, say). */
  answered: number;
  /** Requests still open at the upstream `settleMs` after the clients aborted: must be 0. */
  leftOpen: number;
}

const PHASE_SETTINGS = {
  // The upstream takes ten minutes to answer: llmux waits for its headers when the clients go.
  waiting: { latencyMs: 600_000, streamChunks: 5, chunkDelayMs: 0 },
  // The upstream streams a token every 250 ms without end: the clients go mid-stream.
  streaming: { latencyMs: 0, streamChunks: 1_000_000, chunkDelayMs: 250 },
} as const;

/**
 * `count` concurrent requests to `endpoint`, held until the upstream has them all open (or they
 * were answered), then `holdMs` more, then aborted by their clients; counts the requests the
 * upstream still has open afterwards (llmux must pass every abort on). The fake upstream keeps
 * the phase's settings until the next call configures it again.
 */
export async function measureAborts(session: BenchSession, endpoint: BenchEndpoint, phase: AbortPhase, count: number, options: { holdMs?: number; settleMs?: number } = {}): Promise<AbortRound> {
  await session.configureUpstream(PHASE_SETTINGS[phase]);
  const base = (await session.upstreamStats()).openRequests;
  const agent = new Agent({ keepAliveTimeout: 1_000 });
  const controllers = Array.from({ length: count }, () => new AbortController());
  let answered = 0;
  let withHeaders = 0;
  const clients = controllers.map(async (controller) => {
    try {
      const response = await request(endpoint.origin + endpoint.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_CLIENT_KEY}` },
        body: endpoint.body,
        signal: controller.signal,
        dispatcher: agent,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      withHeaders += 1;
      for await (const chunk of response.body) void chunk;
      answered += 1;
    } catch {
      // Aborted by its client, as intended.
    }
  });
  let held = 0;
  for (let poll = 0; poll < 200; poll++) {
    held = (await session.upstreamStats()).openRequests - base;
    if (held + answered >= count) break;
    await sleep(100);
  }
  await sleep(options.holdMs ?? 300);
  held = (await session.upstreamStats()).openRequests - base;
  const headersAtAbort = withHeaders - answered;
  for (const controller of controllers) controller.abort();
  await Promise.all(clients);
  const settleMs = options.settleMs ?? 5_000;
  let leftOpen = held;
  for (let waited = 0; waited <= settleMs; waited += 100) {
    leftOpen = (await session.upstreamStats()).openRequests - base;
    if (leftOpen <= 0) break;
    await sleep(100);
  }
  await agent.destroy();
  return { label: endpoint.label, phase, sent: count, heldUpstream: held, withHeaders: headersAtAbort, answered, leftOpen: Math.max(0, leftOpen) };
}
