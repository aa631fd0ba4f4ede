import type { Usage } from '../../canonical/usage.ts';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

/** Canonical usage → OpenAI's `usage`; the details objects appear only when their counts are known. */
export function toOpenAIUsage(usage: Usage | undefined): OpenAIUsage {
  if (usage === undefined) return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const converted: OpenAIUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) converted.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined) converted.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return converted;
}
