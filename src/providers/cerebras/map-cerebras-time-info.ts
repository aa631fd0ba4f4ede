import type { Timing } from '../../canonical/timing.ts';

/**
 * Cerebras `time_info`, in seconds, on the final stream chunk and on non-stream bodies
 * (github:Cerebras/cerebras-cloud-sdk-node src/resources/chat/completions.ts `TimeInfo`): an
 * object whose fields are each absent, null or a number.
 */
const TIME_FIELDS = ['queue_time', 'prompt_time', 'completion_time', 'total_time', 'created'] as const;

/** `time_info` → canonical Timing in milliseconds; undefined when absent or unreadable. */
export function mapCerebrasTimeInfo(value: unknown): Timing | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const info = value as Partial<Record<(typeof TIME_FIELDS)[number], unknown>>;
  for (const field of TIME_FIELDS) if (info[field] != null && !(typeof info[field] === 'number' && Number.isFinite(info[field]))) return undefined;
  const { queue_time: queue, prompt_time: prompt, completion_time: completion, total_time: total } = info as Partial<Record<(typeof TIME_FIELDS)[number], number | null>>;
  if (queue == null && prompt == null && completion == null && total == null) return undefined;
  const queueMs = (queue ?? 0) * 1000;
  const promptMs = (prompt ?? 0) * 1000;
  const completionMs = (completion ?? 0) * 1000;
  return { queueMs, promptMs, completionMs, totalMs: total == null ? queueMs + promptMs + completionMs : total * 1000, source: 'upstream' };
}
