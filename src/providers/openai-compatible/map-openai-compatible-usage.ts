import type { Usage } from '../../canonical/usage.ts';
import type { OpenAICompatibleUsage } from './openai-compatible-response-schemas.ts';

/**
 * OpenAI `usage` → canonical Usage (same meaning: `prompt_tokens` includes cached tokens,
 * `completion_tokens` includes reasoning); undefined when it carries no token counts at all.
 */
export function mapOpenAICompatibleUsage(usage: OpenAICompatibleUsage | null | undefined): Usage | undefined {
  if (usage === null || usage === undefined) return undefined;
  const input = usage.prompt_tokens;
  const output = usage.completion_tokens ?? (typeof usage.total_tokens === 'number' && typeof input === 'number' ? usage.total_tokens - input : undefined);
  if (input === null || input === undefined) {
    if (output === null || output === undefined) return undefined;
  }
  const mapped: Usage = { input: { total: input ?? 0 }, output: { total: output ?? 0 }, source: 'upstream', raw: usage };
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') mapped.output.reasoning = reasoning;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') mapped.input.cacheRead = cached;
  return mapped;
}
