import type { InputUsage, Usage } from '../../canonical/usage.ts';
import type { AnthropicUsage } from './anthropic-response-schemas.ts';

/** Anthropic's input side: `input_tokens` leaves out cache reads and writes; canonical `total` holds them. */
export function mapAnthropicInputUsage(usage: AnthropicUsage): InputUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const input: InputUsage = { total: (usage.input_tokens ?? 0) + cacheRead + cacheWrite };
  if (usage.cache_read_input_tokens !== undefined && usage.cache_read_input_tokens !== null) input.cacheRead = cacheRead;
  if (usage.cache_creation_input_tokens !== undefined && usage.cache_creation_input_tokens !== null) input.cacheWrite = cacheWrite;
  return input;
}

/**
 * The final usage. In a stream, `message_start` carries the input side and `message_delta` the
 * output (and, from newer API versions, the input again): fields the later one leaves out keep
 * the earlier value.
 */
export function mapAnthropicUsage(start: AnthropicUsage | undefined, end: AnthropicUsage | undefined): Usage {
  const merged: AnthropicUsage = { ...start };
  for (const [field, value] of Object.entries(end ?? {})) if (value !== undefined && value !== null) merged[field] = value;
  return { input: mapAnthropicInputUsage(merged), output: { total: merged.output_tokens ?? 0 }, source: 'upstream', raw: merged };
}
