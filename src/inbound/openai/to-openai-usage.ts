import type { Usage } from '../../canonical/usage.ts';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

/**
 * Canonical usage → OpenAI's `usage`. Same meaning as canonical (prompt includes cached tokens,
 * completion includes reasoning), so the totals map as they are; the details objects appear only
 * when their counts are known. Cache writes have no OpenAI field and are part of `prompt_tokens`.
 */
export function toOpenAIUsage(usage: Usage | undefined): OpenAIUsage {
  if (usage === undefined) return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const converted: OpenAIUsage = {
    prompt_tokens: usage.input.total,
    completion_tokens: usage.output.total,
    total_tokens: usage.input.total + usage.output.total,
  };
  if (usage.input.cacheRead !== undefined) converted.prompt_tokens_details = { cached_tokens: usage.input.cacheRead };
  if (usage.output.reasoning !== undefined) converted.completion_tokens_details = { reasoning_tokens: usage.output.reasoning };
  return converted;
}
