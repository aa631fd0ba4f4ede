import { z } from 'zod';

/**
 * The IPC contract between `run-bench.ts` and the load generator child process: one job in, one
 * result out (plus `holding` / `release` for the open-streams memory probe).
 */

/** A POST with a JSON body, the only request shape the bench sends. */
const benchRequestSchema = z.object({ origin: z.url(), path: z.string().startsWith('/'), body: z.string() });
export type BenchRequest = z.infer<typeof benchRequestSchema>;

const latencySummarySchema = z.object({ p50: z.number(), p90: z.number(), p99: z.number() });

export const loadJobSchema = z.discriminatedUnion('type', [
  z.object({
    /** N connections, each sending the next request as soon as the previous answer is read. */
    type: z.literal('closed-loop'),
    request: benchRequestSchema,
    connections: z.number().int().positive(),
    durationMs: z.number().positive(),
    /** Stop after exactly this many requests were sent (within durationMs). */
    count: z.number().int().positive().optional(),
  }),
  z.object({
    /** Streams read one after another on one connection, timing first byte, first line, last byte. */
    type: z.literal('stream-probe'),
    request: benchRequestSchema,
    count: z.number().int().positive(),
    maxDurationMs: z.number().positive(),
  }),
  z.object({
    /** Open `count` streams at once, report `holding` once they are flowing, abort them on `release`. */
    type: z.literal('hold-streams'),
    request: benchRequestSchema,
    count: z.number().int().positive(),
    openTimeoutMs: z.number().positive(),
    holdTimeoutMs: z.number().positive(),
  }),
]);
export type LoadJob = z.infer<typeof loadJobSchema>;

export const loadGeneratorCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), job: loadJobSchema }),
  z.object({ type: z.literal('release') }),
]);
export type LoadGeneratorCommand = z.infer<typeof loadGeneratorCommandSchema>;

const failureFields = {
  requests: z.number(),
  errors: z.number(),
  /** The first failure, so a broken route shows why. */
  firstError: z.string().optional(),
};

export const closedLoopResultSchema = z.object({
  type: z.literal('closed-loop-result'),
  ...failureFields,
  elapsedMs: z.number(),
  requestsPerSecond: z.number(),
  /** Microseconds from sending the request to reading the last body byte. */
  latencyUs: latencySummarySchema,
  /** Median of the `x-llmux-overhead-ms` response header, when present. */
  reportedOverheadMs: z.number().optional(),
});
export type ClosedLoopResult = z.infer<typeof closedLoopResultSchema>;

export const streamProbeResultSchema = z.object({
  type: z.literal('stream-probe-result'),
  ...failureFields,
  /** Microseconds from sending the request to the first body byte / first full line / last byte. */
  firstByteUs: latencySummarySchema,
  firstLineUs: latencySummarySchema,
  lastByteUs: latencySummarySchema,
});
export type StreamProbeResult = z.infer<typeof streamProbeResultSchema>;

export const holdingSchema = z.object({ type: z.literal('holding'), opened: z.number(), failed: z.number() });

export const holdStreamsResultSchema = z.object({ type: z.literal('hold-streams-result'), ...failureFields, opened: z.number() });
export type HoldStreamsResult = z.infer<typeof holdStreamsResultSchema>;
