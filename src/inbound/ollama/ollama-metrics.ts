import type { Timing } from '../../canonical/timing.ts';
import type { Usage } from '../../canonical/usage.ts';

export interface OllamaMetrics {
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
}

/**
 * The final chunk's metrics, integer nanoseconds, from the finish event's timing and usage (the
 * upstream's own where it gave them, else measured and counted by routing). All six are always
 * sent, 0 included: the Vercel AI SDK requires them as numbers and Open WebUI applies int() to
 * them. `eval_duration` stays above 0 because older Open WebUI divides by it unguarded.
 */
export function ollamaMetrics(usage: Usage | undefined, timing: Timing | undefined): OllamaMetrics {
  return {
    total_duration: nanoseconds(timing?.totalMs),
    load_duration: nanoseconds(timing?.queueMs),
    prompt_eval_count: usage?.input.total ?? 0,
    prompt_eval_duration: nanoseconds(timing?.promptMs),
    eval_count: usage?.output.total ?? 0,
    eval_duration: Math.max(1, nanoseconds(timing?.completionMs)),
  };
}

function nanoseconds(ms: number | undefined): number {
  return ms === undefined || !(ms > 0) ? 0 : Math.round(ms * 1e6);
}
