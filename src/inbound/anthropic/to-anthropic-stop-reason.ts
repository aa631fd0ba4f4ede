import type { FinishReason } from '../../canonical/finish-reason.ts';

/** Anthropic's own stop reasons: an Anthropic upstream's word is passed on as it is. */
const ANTHROPIC_STOP_REASONS = new Set(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded']);

/**
 * Canonical finish → Anthropic `stop_reason`. `stop_sequence` is used when the upstream said so
 * or named the sequence that matched; other upstreams report a matched stop sequence as a plain
 * stop, which is `end_turn` here. A
 * turn that called tools is `tool_use` whatever the upstream called it (some say `stop`).
 */
export function toAnthropicStopReason(finishReason: FinishReason, raw: string | undefined, calledTools: boolean, stopSequence?: string): string {
  if (raw !== undefined && ANTHROPIC_STOP_REASONS.has(raw)) return raw;
  if (stopSequence !== undefined && finishReason === 'stop') return 'stop_sequence';
  if (calledTools && (finishReason === 'tool-calls' || finishReason === 'stop' || finishReason === 'other')) return 'tool_use';
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
