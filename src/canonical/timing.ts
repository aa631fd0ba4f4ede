/**
 * Where the time went, in milliseconds. From the upstream where it reports it (Cerebras
 * `time_info`), otherwise measured by llmux around the upstream call.
 */
export interface Timing {
  /** Waiting before the model started (queue, load). */
  queueMs: number;
  /** Reading the prompt: request sent to first output token. */
  promptMs: number;
  /** Generating: first output token to the end. */
  completionMs: number;
  /** The whole call. */
  totalMs: number;
  source: 'upstream' | 'measured';
}
