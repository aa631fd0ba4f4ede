import { z } from 'zod';
import type { Timing } from '../../canonical/timing.ts';

/**
 * Cerebras `time_info`, in seconds, on the final stream chunk and on non-stream bodies
 * (github:Cerebras/cerebras-cloud-sdk-node src/resources/chat/completions.ts `TimeInfo`).
 */
const timeInfoSchema = z.looseObject({
  queue_time: z.number().nullish(),
  prompt_time: z.number().nullish(),
  completion_time: z.number().nullish(),
  total_time: z.number().nullish(),
  created: z.number().nullish(),
});

/** `time_info` → canonical Timing in milliseconds; undefined when absent or unreadable. */
export function mapCerebrasTimeInfo(value: unknown): Timing | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = timeInfoSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { queue_time: queue, prompt_time: prompt, completion_time: completion, total_time: total } = parsed.data;
  if (queue == null && prompt == null && completion == null && total == null) return undefined;
  const queueMs = (queue ?? 0) * 1000;
  const promptMs = (prompt ?? 0) * 1000;
  const completionMs = (completion ?? 0) * 1000;
  return { queueMs, promptMs, completionMs, totalMs: total == null ? queueMs + promptMs + completionMs : total * 1000, source: 'upstream' };
}
