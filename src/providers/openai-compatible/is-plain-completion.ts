import type { OpenAICompatibleCompletion } from './openai-compatible-response-schemas.ts';

/**
 * The whole (non-stream) answer almost every request gets — choices whose message holds only
 * strings (content, reasoning, refusal), no tool calls or logprobs, and plain numeric usage —
 * checked by hand, as strictly as `openAICompatibleCompletionSchema` checks it: what passes here
 * would pass the schema unchanged, so it is read as it is, without zod's copy of it. Anything
 * else (tool calls, content parts, logprobs, a wrong type) returns false and goes through the schema.
 */
export function isPlainCompletion(payload: unknown): payload is OpenAICompatibleCompletion {
  if (!isRecord(payload)) return false;
  if (!optional(payload['id'], 'string') || !optional(payload['model'], 'string') || !optional(payload['created'], 'number')) return false;
  const choices = payload['choices'];
  if (!Array.isArray(choices)) return false;
  for (const choice of choices as unknown[]) if (!isPlainChoice(choice)) return false;
  const usage = payload['usage'];
  return usage == null || isPlainUsage(usage);
}

function isPlainChoice(choice: unknown): boolean {
  if (!isRecord(choice)) return false;
  if (!optional(choice['index'], 'number') || !optional(choice['finish_reason'], 'string') || choice['logprobs'] != null) return false;
  const stopReason = choice['stop_reason'];
  if (stopReason != null && typeof stopReason !== 'string' && typeof stopReason !== 'number') return false;
  const message = choice['message'];
  if (message == null) return true;
  if (!isRecord(message)) return false;
  return (
    optional(message['role'], 'string') &&
    optional(message['content'], 'string') &&
    optional(message['reasoning'], 'string') &&
    optional(message['reasoning_content'], 'string') &&
    optional(message['refusal'], 'string') &&
    message['tool_calls'] == null
  );
}

/** `usage` with numeric counts only, as `openAICompatibleUsageSchema` checks it. */
export function isPlainUsage(usage: unknown): boolean {
  if (!isRecord(usage)) return false;
  if (!optional(usage['prompt_tokens'], 'number') || !optional(usage['completion_tokens'], 'number') || !optional(usage['total_tokens'], 'number')) return false;
  const completion = usage['completion_tokens_details'];
  if (completion != null && !(isRecord(completion) && optional(completion['reasoning_tokens'], 'number'))) return false;
  const prompt = usage['prompt_tokens_details'];
  return prompt == null || (isRecord(prompt) && optional(prompt['cached_tokens'], 'number'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent, null, or of the type (`nullish()` in the schema). */
function optional(value: unknown, type: 'string' | 'number'): boolean {
  return value == null || typeof value === type;
}
