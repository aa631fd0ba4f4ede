import { BenchChild } from './bench-child.ts';
import type { BenchEndpoint } from './bench-endpoint.ts';
import {
  fakeUpstreamConfiguredSchema,
  fakeUpstreamReadySchema,
  fakeUpstreamStatsSchema,
  type FakeUpstreamSettings,
  type FakeUpstreamStats,
} from './fake-upstream-settings.ts';
import {
  closedLoopResultSchema,
  holdingSchema,
  holdStreamsResultSchema,
  streamProbeResultSchema,
  type BenchRequest,
  type ClosedLoopResult,
  type HoldStreamsResult,
  type LoadJob,
  type StreamProbeResult,
} from './load-job.ts';
import { z } from 'zod';

/** Slack on top of a job's own duration before the orchestrator gives up on the generator. */
const JOB_ANSWER_GRACE_MS = 30_000;

/**
 * The fake upstream and load generator child processes, and the jobs the sections run on them.
 * llmux itself is started separately (llmux-process.ts) so a missing entry point only skips the
 * sections that need it.
 */
export class BenchSession {
  readonly upstream: BenchChild;
  readonly generator: BenchChild;
  readonly upstreamPort: number;
  readonly upstreamOrigin: string;

  private constructor(upstream: BenchChild, generator: BenchChild, upstreamPort: number) {
    this.upstream = upstream;
    this.generator = generator;
    this.upstreamPort = upstreamPort;
    this.upstreamOrigin = `http://127.0.0.1:${upstreamPort}`;
  }

  static async start(benchDirectory: string): Promise<BenchSession> {
    const upstream = new BenchChild('fake upstream', `${benchDirectory}/fake-upstream.ts`);
    const generator = new BenchChild('load generator', `${benchDirectory}/load-generator.ts`);
    try {
      const { port } = await upstream.receive(fakeUpstreamReadySchema, 10_000);
      await generator.receive(z.object({ type: z.literal('ready') }), 10_000);
      return new BenchSession(upstream, generator, port);
    } catch (error) {
      await Promise.all([upstream.stop(), generator.stop()]);
      throw error;
    }
  }

  async configureUpstream(settings: FakeUpstreamSettings): Promise<void> {
    this.upstream.send({ type: 'configure', settings });
    await this.upstream.receive(fakeUpstreamConfiguredSchema, 5_000);
  }

  async upstreamStats(): Promise<FakeUpstreamStats> {
    this.upstream.send({ type: 'stats' });
    return this.upstream.receive(fakeUpstreamStatsSchema, 5_000);
  }

  closedLoop(endpoint: BenchEndpoint, connections: number, durationMs: number, count?: number): Promise<ClosedLoopResult> {
    const job: LoadJob = { type: 'closed-loop', request: requestOf(endpoint), connections, durationMs, ...(count === undefined ? {} : { count }) };
    return this.run(job, closedLoopResultSchema, durationMs);
  }

  streamProbe(endpoint: BenchEndpoint, count: number, maxDurationMs: number): Promise<StreamProbeResult> {
    return this.run({ type: 'stream-probe', request: requestOf(endpoint), count, maxDurationMs }, streamProbeResultSchema, maxDurationMs);
  }

  /** Opens `count` streams, calls `whileHolding` once they flow, then has them aborted. */
  async holdStreams(
    endpoint: BenchEndpoint,
    count: number,
    whileHolding: (opened: number) => Promise<void>,
  ): Promise<HoldStreamsResult> {
    const openTimeoutMs = 5_000;
    const holdTimeoutMs = 30_000;
    this.generator.send({ type: 'run', job: { type: 'hold-streams', request: requestOf(endpoint), count, openTimeoutMs, holdTimeoutMs } });
    const holding = await this.generator.receive(holdingSchema, openTimeoutMs + JOB_ANSWER_GRACE_MS);
    try {
      await whileHolding(holding.opened);
    } finally {
      this.generator.send({ type: 'release' });
    }
    return this.generator.receive(holdStreamsResultSchema, holdTimeoutMs + JOB_ANSWER_GRACE_MS);
  }

  async stop(): Promise<void> {
    await Promise.all([this.upstream.stop(), this.generator.stop()]);
  }

  private async run<T>(job: LoadJob, schema: z.ZodType<T>, durationMs: number): Promise<T> {
    this.generator.send({ type: 'run', job });
    return this.generator.receive(schema, durationMs + JOB_ANSWER_GRACE_MS);
  }
}

function requestOf(endpoint: BenchEndpoint): BenchRequest {
  return { origin: endpoint.origin, path: endpoint.path, body: endpoint.body };
}

/**
 * Runs `measure` for every endpoint, `rounds` times, reversing the order every other round so a
 * slow drift of the machine does not always favour the same side. Results are per endpoint.
 */
export async function interleaveRounds<T>(
  rounds: number,
  endpoints: readonly BenchEndpoint[],
  measure: (endpoint: BenchEndpoint) => Promise<T>,
): Promise<T[][]> {
  const results: T[][] = endpoints.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    const order = endpoints.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      results[index]?.push(await measure(endpoints[index] as BenchEndpoint));
    }
  }
  return results;
}
