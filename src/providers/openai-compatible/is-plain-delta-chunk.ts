import { isPlainUsage } from './is-plain-completion.ts';
import type { OpenAICompatibleChunk } from './openai-compatible-response-schemas.ts';

/**
 * The streamed chunk almost every token comes in — one choice whose delta holds only strings
 * (role, content, reasoning, refusal), no tool calls or logprobs, and the final chunk's plain
 * numeric usage — checked by hand, as
 * strictly as `openAICompatibleChunkSchema` checks it: what passes here would pass the schema
 * unchanged, so it is read as it is, without zod's copy of it. Anything else (a tool-call
 * fragment, content parts, usage of another shape, a wrong type) returns false and goes through the schema.
 */
export function isPlainDeltaChunk(payload: unknown): payload is OpenAICompatibleChunk {
  if (!isRecord(payload)) return false;
  if (!optional(payload['id'], 'string') || !optional(payload['model'], 'string') || !optional(payload['created'], 'number')) return false;
  const usage = payload['usage'];
  if (usage != null && !isPlainUsage(usage)) return false;
  const choices = payload['choices'];
  if (choices == null) return true;
  if (!Array.isArray(choices) || choices.length > 1) return false;
  if (choices.length === 0) return true;
  const choice: unknown = choices[0];
  if (!isRecord(choice)) return false;
  if (!optional(choice['index'], 'number') || !optional(choice['finish_reason'], 'string') || choice['logprobs'] != null) return false;
  const stopReason = choice['stop_reason'];
  if (stopReason != null && typeof stopReason !== 'string' && typeof stopReason !== 'number') return false;
  const delta = choice['delta'];
  if (delta == null) return true;
  if (!isRecord(delta)) return false;
  return (
    optional(delta['role'], 'string') &&
    optional(delta['content'], 'string') &&
    optional(delta['reasoning'], 'string') &&
    optional(delta['reasoning_content'], 'string') &&
    optional(delta['refusal'], 'string') &&
    delta['tool_calls'] == null
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent, null, or of the type (`nullish()` in the schema). */
function optional(value: unknown, type: 'string' | 'number'): boolean {
  return value == null || typeof value === type;
}
