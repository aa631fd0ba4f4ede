import type { ChatResponse, ResponsePart } from '../../canonical/chat-response.ts';
import type { AnthropicMessageResponse } from './anthropic-response-schemas.ts';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { anthropicServiceTierOf, mapAnthropicUsage } from './map-anthropic-usage.ts';

const PROVIDER = 'anthropic';

/**
 * A non-streamed `Message` → canonical answer, its blocks in order; blocks of Anthropic's server
 * tools (and any block type this build does not know) are kept whole as provider blocks.
 */
export function convertAnthropicMessage(message: AnthropicMessageResponse): ChatResponse {
  const parts: ResponsePart[] = [];
  for (const block of message.content) {
    const value = block as { type: string; text?: unknown; thinking?: unknown; signature?: unknown; data?: unknown; id?: unknown; name?: unknown; input?: unknown };
    if (value.type === 'text' && typeof value.text === 'string') {
      const citations = citationsOf((value as { citations?: unknown }).citations);
      parts.push(citations === undefined ? { type: 'text', text: value.text } : { type: 'text', text: value.text, metadata: { provider: PROVIDER, citations } });
    }
    else if (value.type === 'thinking' && typeof value.thinking === 'string') {
      const signature = typeof value.signature === 'string' && value.signature.length > 0 ? value.signature : undefined;
      parts.push(signature === undefined ? { type: 'reasoning', text: value.thinking } : { type: 'reasoning', text: value.thinking, metadata: { provider: PROVIDER, signature } });
    } else if (value.type === 'redacted_thinking' && typeof value.data === 'string') {
      parts.push({ type: 'reasoning', text: '', redacted: true, metadata: { provider: PROVIDER, encrypted: value.data } });
    } else if (value.type === 'tool_use') {
      parts.push({ type: 'tool-call', id: String(value.id), name: String(value.name), arguments: JSON.stringify(value.input ?? {}) });
    } else {
      // Server tool calls and their results (server_tool_use, web_search_tool_result…) go back to Anthropic clients as they came.
      parts.push({ type: 'provider-block', provider: PROVIDER, block: { ...value } });
    }
  }
  const response: ChatResponse = { id: message.id, parts, finishReason: mapAnthropicStopReason(message.stop_reason), usage: mapAnthropicUsage(message.usage ?? undefined, undefined) };
  if (message.model !== undefined) response.model = message.model;
  const tier = anthropicServiceTierOf(message.usage);
  if (tier !== undefined) response.serviceTier = tier;
  if (message.stop_reason !== undefined && message.stop_reason !== null) response.rawFinishReason = message.stop_reason;
  if (typeof message.stop_sequence === 'string') response.stopSequence = message.stop_sequence;
  return response;
}

/** A text block's `citations`, when the block carries them. */
export function citationsOf(value: unknown): Record<string, unknown>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const citations = value.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null);
  return citations.length > 0 ? citations : undefined;
}
