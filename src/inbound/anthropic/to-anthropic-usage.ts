import type { InputUsage, Usage } from '../../canonical/usage.ts';
import { anthropicServiceTier } from './anthropic-service-tier.ts';

export interface AnthropicUsageBody {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  /** Server tool calls an Anthropic upstream counted (`web_search_requests`…). */
  server_tool_use?: Record<string, number>;
  /** The tier that served the request, where the upstream named one Anthropic has a word for (anthropicServiceTier). */
  service_tier?: string;
}

/**
 * Canonical usage → Anthropic's: its `input_tokens` leave out cache reads and writes, which have
 * their own fields (canonical `input.total` includes them).
 */
export function toAnthropicUsage(input: InputUsage | undefined, outputTokens: number, serverToolRequests?: Record<string, number>, serviceTier?: string): AnthropicUsageBody {
  const total = input?.total ?? 0;
  const cacheRead = input?.cacheRead ?? 0;
  const cacheWrite = input?.cacheWrite ?? 0;
  const usage: AnthropicUsageBody = {
    input_tokens: Math.max(0, total - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: outputTokens,
  };
  if (serverToolRequests !== undefined) usage.server_tool_use = serverToolRequests;
  const tier = anthropicServiceTier(serviceTier);
  if (tier !== undefined) usage.service_tier = tier;
  return usage;
}

export function toAnthropicFinalUsage(usage: Usage | undefined, fallbackInput: InputUsage | undefined): AnthropicUsageBody {
  return toAnthropicUsage(usage?.input ?? fallbackInput, usage?.output.total ?? 0, usage?.serverToolRequests);
}
