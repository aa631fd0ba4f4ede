import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { ChatStreamBuilder } from '../chat-stream-builder.ts';

/**
 * A whole response as a canonical stream, for upstreams that answer a streaming request with
 * one JSON body (some servers ignore `stream` for tool calls or JSON mode; Cerebras documented
 * such cases for reasoning models, https://inference-docs.cerebras.ai/capabilities/reasoning).
 */
export function replayChatResponse(response: ChatResponse): ChatStreamEvent[] {
  const builder = new ChatStreamBuilder();
  const start: ChatStreamEvent = { type: 'response-start' };
  if (response.id !== undefined) start.id = response.id;
  if (response.model !== undefined) start.model = response.model;
  if (response.created !== undefined) start.created = response.created;
  const events: ChatStreamEvent[] = [start, ...builder.reasoning(response.reasoning), ...builder.text(response.text)];
  response.toolCalls.forEach((call, index) => {
    events.push(...builder.toolCallStart(index, call.id, call.name), ...builder.toolCallDelta(index, call.arguments));
  });
  const details: { raw?: string; usage?: NonNullable<ChatResponse['usage']>; timing?: NonNullable<ChatResponse['timing']> } = {};
  if (response.rawFinishReason !== undefined) details.raw = response.rawFinishReason;
  if (response.usage !== undefined) details.usage = response.usage;
  if (response.timing !== undefined) details.timing = response.timing;
  events.push(...builder.finish(response.finishReason, details));
  return events;
}
