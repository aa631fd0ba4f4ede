import type { FinishReason } from '../../canonical/finish-reason.ts';

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * OpenAI has four finish reasons. A turn that produced tool calls reports `tool_calls` even when
 * the upstream said `stop` (as OpenAI does), since clients use it to decide whether to run tools.
 */
export function toOpenAIFinishReason(reason: FinishReason, hasToolCalls: boolean): OpenAIFinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'content-filter') return 'content_filter';
  if (reason === 'tool-calls' || hasToolCalls) return 'tool_calls';
  return 'stop';
}
