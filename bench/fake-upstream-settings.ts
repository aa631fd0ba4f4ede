import { z } from 'zod';

/** How the fake upstream answers; the orchestrator changes it between sections over IPC. */
export const fakeUpstreamSettingsSchema = z
  .object({
    /** Wait before the response headers, for both streaming and non-streaming answers. */
    latencyMs: z.number().nonnegative(),
    /** Content chunks per streamed answer (before the final usage chunk and `[DONE]`). */
    streamChunks: z.number().int().positive(),
    /** Wait between two streamed content chunks; 0 writes them back to back. */
    chunkDelayMs: z.number().nonnegative(),
    /**
     * The whole streamed answer (headers and every chunk) in one write, so that a reader gets it in
     * one network read however fast it reads: what a stream costs then does not depend on how the
     * chunks happened to be batched (count-instructions.ts --stream). `chunkDelayMs` is ignored.
     */
    wholeStreamInOneWrite: z.boolean().optional(),
  })
  .strict();

export type FakeUpstreamSettings = z.infer<typeof fakeUpstreamSettingsSchema>;

/** Counters the fake upstream keeps, so the bench can tell whether aborts reach the upstream. */
export const fakeUpstreamStatsSchema = z.object({
  type: z.literal('stats'),
  requests: z.number(),
  openStreams: z.number(),
  abortedStreams: z.number(),
  /** Chat requests received whose answer has not finished or been cut off yet (streamed or not). */
  openRequests: z.number(),
  /** Chat requests whose connection closed before their answer was complete. */
  abortedRequests: z.number(),
  /** Bytes of streamed answers written so far (a slow reader through llmux must make it stop growing). */
  bytesStreamed: z.number(),
});

export type FakeUpstreamStats = z.infer<typeof fakeUpstreamStatsSchema>;

export const fakeUpstreamCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('configure'), settings: fakeUpstreamSettingsSchema }),
  z.object({ type: z.literal('stats') }),
]);

export type FakeUpstreamCommand = z.infer<typeof fakeUpstreamCommandSchema>;

export const fakeUpstreamReadySchema = z.object({ type: z.literal('ready'), port: z.number().int() });
export const fakeUpstreamConfiguredSchema = z.object({ type: z.literal('configured') });
