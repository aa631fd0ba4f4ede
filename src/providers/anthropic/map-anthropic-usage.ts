import type { InputUsage, Usage } from '../../canonical/usage.ts';
import type { AnthropicUsage } from './anthropic-response-schemas.ts';

/** Anthropic's input side: `input_tokens` leaves out cache reads and writes; canonical `total` holds them. */
export function mapAnthropicInputUsage(usage: AnthropicUsage): InputUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const input: InputUsage = { total: (usage.input_tokens ?? 0) + cacheRead + cacheWrite };
  if (usage.cache_read_input_tokens !== undefined && usage.cache_read_input_tokens !== null) input.cacheRead = cacheRead;
  if (usage.cache_creation_input_tokens !== undefined && usage.cache_creation_input_tokens !== null) input.cacheWrite = cacheWrite;
  const byTtl = cacheWriteByTtl(usage['cache_creation']);
  if (byTtl !== undefined) input.cacheWriteByTtl = byTtl;
  return input;
}

const TTL_FIELD = /^ephemeral_(.+)_input_tokens$/;

/** `cache_creation: {ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 900}` → `{5m: 0, 1h: 900}`, in its order. */
function cacheWriteByTtl(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  let byTtl: Record<string, number> | undefined;
  for (const [field, tokens] of Object.entries(value)) {
    const ttl = TTL_FIELD.exec(field)?.[1];
    if (ttl !== undefined && typeof tokens === 'number') (byTtl ??= {})[ttl] = tokens;
  }
  return byTtl;
}

/**
 * The final usage. In a stream, `message_start` carries the input side and `message_delta` the
 * output (and, from newer API versions, the input again): fields the later one leaves out keep
 * the earlier value.
 */
export function mapAnthropicUsage(start: AnthropicUsage | undefined, end: AnthropicUsage | undefined): Usage {
  const merged: AnthropicUsage = { ...start };
  for (const [field, value] of Object.entries(end ?? {})) if (value !== undefined && value !== null) merged[field] = value;
  const usage: Usage = { input: mapAnthropicInputUsage(merged), output: { total: merged.output_tokens ?? 0 }, source: 'upstream', raw: merged };
  const serverTools = serverToolRequests(merged.server_tool_use);
  if (serverTools !== undefined) usage.serverToolRequests = serverTools;
  return usage;
}

/** `usage.service_tier` (`standard`, `priority`, `batch`): the tier that served the request, when the upstream named one. */
export function anthropicServiceTierOf(usage: AnthropicUsage | null | undefined): string | undefined {
  const tier = usage?.['service_tier'];
  return typeof tier === 'string' && tier.length > 0 ? tier : undefined;
}

/** `server_tool_use: {web_search_requests: 2}`: the counts of server tool calls, when there are any. */
function serverToolRequests(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const counts = Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
  return counts.length > 0 ? Object.fromEntries(counts) : undefined;
}
