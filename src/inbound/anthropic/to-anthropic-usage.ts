import type { InputUsage } from '../../canonical/usage.ts';
import { anthropicServiceTier } from './anthropic-service-tier.ts';

export interface AnthropicUsageBody {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The cache write by how long it is kept, where the upstream said (`ephemeral_5m_input_tokens`…). */
  cache_creation?: Record<string, number>;
  output_tokens: number;
  /** Server tool calls an Anthropic upstream counted (`web_search_requests`…). */
  server_tool_use?: Record<string, number>;
  /** The tier that served the request, where the upstream named one Anthropic has a word for (anthropicServiceTier). */
  service_tier?: string;
}

/**
 * Canonical usage → Anthropic's: its `input_tokens` leave out cache reads and writes, which have
 * their own fields (canonical `input.total` includes them); the write by ttl in `cache_creation`
 * where the upstream gave it, between the cache reads and the output as the API has it.
 */
export function toAnthropicUsage(input: InputUsage | undefined, outputTokens: number, serverToolRequests?: Record<string, number>, serviceTier?: string): AnthropicUsageBody {
  return usageBody(input, outputTokens, serverToolRequests, serviceTier, true);
}

/** `message_delta`'s usage: the same counts, without the write's breakdown and the tier (anthropic-sdk-typescript MessageDeltaUsage). */
export function toAnthropicDeltaUsage(input: InputUsage | undefined, outputTokens: number, serverToolRequests?: Record<string, number>): AnthropicUsageBody {
  return usageBody(input, outputTokens, serverToolRequests, undefined, false);
}

function usageBody(input: InputUsage | undefined, outputTokens: number, serverToolRequests: Record<string, number> | undefined, serviceTier: string | undefined, breakdown: boolean): AnthropicUsageBody {
  const total = input?.total ?? 0;
  const cacheRead = input?.cacheRead ?? 0;
  const cacheWrite = input?.cacheWrite ?? 0;
  const byTtl = breakdown ? input?.cacheWriteByTtl : undefined;
  const usage: AnthropicUsageBody = {
    input_tokens: Math.max(0, total - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    ...(byTtl === undefined ? NO_FIELDS : { cache_creation: cacheCreation(byTtl) }),
    output_tokens: outputTokens,
  };
  if (serverToolRequests !== undefined) usage.server_tool_use = serverToolRequests;
  const tier = anthropicServiceTier(serviceTier);
  if (tier !== undefined) usage.service_tier = tier;
  return usage;
}

const NO_FIELDS = {};

function cacheCreation(byTtl: Readonly<Record<string, number>>): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const [ttl, tokens] of Object.entries(byTtl)) fields[`ephemeral_${ttl}_input_tokens`] = tokens;
  return fields;
}
