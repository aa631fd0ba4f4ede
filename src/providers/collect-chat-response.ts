import type { ProviderBlockPart, ReasoningPart, TextPart, ToolCallPart } from '../canonical/chat-message.ts';
import type { ChatResponse, GeneratedFilePart } from '../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';

/**
 * A canonical stream → one whole response, each block one part in the order the blocks came (so
 * two thinking blocks keep their own signatures). An `error` event is thrown; a stream that ends
 * without `finish` is an upstream error, never a silent success.
 */
export async function collectChatResponse(events: AsyncIterable<ChatStreamEvent>): Promise<ChatResponse> {
  const collector = new ChatResponseCollector();
  for await (const event of events) collector.push(event);
  return collector.result();
}

/** The same, one event at a time (for callers that also pass the events on). */
export class ChatResponseCollector {
  private readonly response: ChatResponse = { parts: [], finishReason: 'stop' };
  private text: TextPart | undefined;
  private reasoning: ReasoningPart | undefined;
  private toolCall: ToolCallPart | undefined;
  private providerBlock: ProviderBlockPart | undefined;
  private finished = false;

  push(event: ChatStreamEvent): void {
    const response = this.response;
    switch (event.type) {
      case 'response-start':
        if (event.id !== undefined) response.id = event.id;
        if (event.model !== undefined) response.model = event.model;
        if (event.created !== undefined) response.created = event.created;
        if (event.serviceTier !== undefined) response.serviceTier = event.serviceTier;
        if (event.systemFingerprint !== undefined) response.systemFingerprint = event.systemFingerprint;
        if (event.degraded !== undefined) response.degraded = [...(response.degraded ?? []), ...event.degraded];
        break;
      case 'text-start':
        this.text = { type: 'text', text: '' };
        response.parts.push(this.text);
        break;
      case 'text-delta':
        if (this.text === undefined) break;
        this.text.text += event.text;
        if (event.logprobs !== undefined) (this.text.logprobs ??= []).push(...event.logprobs);
        break;
      case 'text-end':
        if (this.text !== undefined && event.metadata !== undefined) this.text.metadata = event.metadata;
        this.text = undefined;
        break;
      case 'reasoning-start':
        this.reasoning = event.redacted === true ? { type: 'reasoning', text: '', redacted: true } : { type: 'reasoning', text: '' };
        response.parts.push(this.reasoning);
        break;
      case 'reasoning-delta':
        if (this.reasoning !== undefined) this.reasoning.text += event.text;
        break;
      case 'reasoning-end':
        if (this.reasoning !== undefined && event.metadata !== undefined) this.reasoning.metadata = event.metadata;
        this.reasoning = undefined;
        break;
      case 'tool-call-start':
        this.toolCall = { type: 'tool-call', id: event.toolCallId, name: event.name, arguments: '' };
        if (event.metadata !== undefined) this.toolCall.metadata = event.metadata;
        response.parts.push(this.toolCall);
        break;
      case 'tool-call-delta':
        if (this.toolCall !== undefined) this.toolCall.arguments += event.argumentsDelta;
        break;
      case 'tool-call-end':
        this.toolCall = undefined;
        break;
      case 'provider-block-start':
        this.providerBlock = { type: 'provider-block', provider: event.provider, block: event.block };
        response.parts.push(this.providerBlock);
        break;
      case 'provider-block-end':
        if (this.providerBlock !== undefined) this.providerBlock.block = event.block;
        this.providerBlock = undefined;
        break;
      case 'provider-block-delta':
        break;
      case 'file': {
        const file: GeneratedFilePart = { type: 'generated-file', url: event.url };
        if (event.mediaType !== undefined) file.mediaType = event.mediaType;
        if (event.name !== undefined) file.name = event.name;
        if (event.metadata !== undefined) file.metadata = event.metadata;
        response.parts.push(file);
        break;
      }
      case 'finish':
        this.finished = true;
        response.finishReason = event.finishReason;
        if (event.rawFinishReason !== undefined) response.rawFinishReason = event.rawFinishReason;
        if (event.stopSequence !== undefined) response.stopSequence = event.stopSequence;
        if (event.usage !== undefined) response.usage = event.usage;
        if (event.timing !== undefined) response.timing = event.timing;
        break;
      case 'error':
        throw event.error;
      case 'input-usage':
        break;
    }
  }

  result(): ChatResponse {
    if (!this.finished) throw new GatewayError('upstream', 'the upstream stream ended before the response was complete');
    return this.response;
  }
}
