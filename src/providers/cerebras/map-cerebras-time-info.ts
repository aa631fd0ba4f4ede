import type { Timing } from '../../canonical/timing.ts';

/**
 * Cerebras `time_info`, in seconds, on the final stream chunk and on non-stream bodies
 * (github:Cerebras/cerebras-cloud-sdk-node src/resources/chat/completions.ts `TimeInfo`): an
 * object whose fields are each absent, null or a number.
 */
interface TimeInfo {
  queue_time?: unknown;
  prompt_time?: unknown;
  completion_time?: unknown;
  total_time?: unknown;
  created?: unknown;
}

/**
 * `time_info` → canonical Timing in milliseconds; undefined when absent or unreadable. The fields
 * are read one by one (no list to iterate): it runs on every Cerebras answer.
 */
export function mapCerebrasTimeInfo(value: unknown): Timing | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const info = value as TimeInfo;
  const queue = info.queue_time;
  const prompt = info.prompt_time;
  const completion = info.completion_time;
  const total = info.total_time;
  if (!isSeconds(queue) || !isSeconds(prompt) || !isSeconds(completion) || !isSeconds(total) || !isSeconds(info.created)) return undefined;
  if (queue == null && prompt == null && completion == null && total == null) return undefined;
  const queueMs = (queue ?? 0) * 1000;
  const promptMs = (prompt ?? 0) * 1000;
  const completionMs = (completion ?? 0) * 1000;
  return { queueMs, promptMs, completionMs, totalMs: total == null ? queueMs + promptMs + completionMs : total * 1000, source: 'upstream' };
}

/** Absent, null or a finite number. */
function isSeconds(value: unknown): value is number | null | undefined {
  return value == null || (typeof value === 'number' && Number.isFinite(value));
}
