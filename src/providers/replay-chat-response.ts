import type { ChatResponse } from '../canonical/chat-response.ts';
import type { ChatStreamEvent, ResponseStart } from '../canonical/chat-stream-event.ts';
import { ChatStreamBuilder, type FinishDetails } from './chat-stream-builder.ts';

/**
 * A whole response as a canonical stream, its parts as blocks in their order: for upstreams that
 * answer a streaming request with one JSON body (some servers ignore `stream` for tool calls or
 * JSON mode; Cerebras documented such cases for reasoning models,
 * https://inference-docs.cerebras.ai/capabilities/reasoning), and for media bots called unstreamed.
 */
export function replayChatResponse(response: ChatResponse): ChatStreamEvent[] {
  const builder = new ChatStreamBuilder();
  const start: ResponseStart = {};
  if (response.id !== undefined) start.id = response.id;
  if (response.model !== undefined) start.model = response.model;
  if (response.created !== undefined) start.created = response.created;
  if (response.serviceTier !== undefined) start.serviceTier = response.serviceTier;
  if (response.systemFingerprint !== undefined) start.systemFingerprint = response.systemFingerprint;
  if (response.degraded !== undefined) start.degraded = response.degraded;
  const events = builder.start(start);
  for (const part of response.parts) {
    switch (part.type) {
      case 'text':
        events.push(...builder.text(part.text, part.logprobs));
        if (part.metadata !== undefined) builder.attachMetadata('text', part.metadata);
        break;
      case 'reasoning':
        if (part.redacted === true && part.metadata !== undefined) events.push(...builder.redactedReasoning(part.metadata));
        else {
          events.push(...builder.reasoning(part.text));
          if (part.metadata !== undefined) builder.attachMetadata('reasoning', part.metadata);
        }
        break;
      case 'tool-call':
        events.push(...builder.toolCallStart(part.id, part.name, part.metadata), ...builder.toolCallDelta(part.arguments));
        break;
      case 'provider-block':
        events.push(...builder.providerBlock(part.provider, part.block));
        break;
      case 'generated-file': {
        const details: { mediaType?: string; name?: string; metadata?: NonNullable<typeof part.metadata> } = {};
        if (part.mediaType !== undefined) details.mediaType = part.mediaType;
        if (part.name !== undefined) details.name = part.name;
        if (part.metadata !== undefined) details.metadata = part.metadata;
        events.push(...builder.file(part.url, details));
        break;
      }
    }
  }
  const details: FinishDetails = {};
  if (response.rawFinishReason !== undefined) details.raw = response.rawFinishReason;
  if (response.stopSequence !== undefined) details.stopSequence = response.stopSequence;
  if (response.usage !== undefined) details.usage = response.usage;
  if (response.timing !== undefined) details.timing = response.timing;
  events.push(...builder.finish(response.finishReason, details));
  return events;
}
