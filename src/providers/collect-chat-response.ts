import type { ChatResponse, ResponseToolCall } from '../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';

/**
 * A canonical stream → one whole response. An `error` event is thrown; a stream that ends
 * without `finish` is an upstream error, never a silent success.
 */
export async function collectChatResponse(events: AsyncIterable<ChatStreamEvent>): Promise<ChatResponse> {
  const response: ChatResponse = { text: '', reasoning: '', toolCalls: [], files: [], finishReason: 'stop' };
  const toolCalls = new Map<number, ResponseToolCall>();
  let finished = false;
  for await (const event of events) {
    switch (event.type) {
      case 'response-start':
        if (event.id !== undefined) response.id = event.id;
        if (event.model !== undefined) response.model = event.model;
        if (event.created !== undefined) response.created = event.created;
        break;
      case 'text-delta':
        response.text += event.text;
        break;
      case 'reasoning-delta':
        response.reasoning += event.text;
        break;
      case 'reasoning-end':
        if (event.signature !== undefined) response.reasoningSignature = event.signature;
        break;
      case 'tool-call-start':
        toolCalls.set(event.index, { id: event.id, name: event.name, arguments: '' });
        break;
      case 'tool-call-delta': {
        const call = toolCalls.get(event.index);
        if (call !== undefined) call.arguments += event.argumentsDelta;
        break;
      }
      case 'file': {
        const file: ChatResponse['files'][number] = { url: event.url };
        if (event.mediaType !== undefined) file.mediaType = event.mediaType;
        if (event.name !== undefined) file.name = event.name;
        response.files.push(file);
        break;
      }
      case 'finish':
        finished = true;
        response.finishReason = event.finishReason;
        if (event.rawFinishReason !== undefined) response.rawFinishReason = event.rawFinishReason;
        if (event.usage !== undefined) response.usage = event.usage;
        if (event.timing !== undefined) response.timing = event.timing;
        break;
      case 'error':
        throw event.error;
      default:
        break;
    }
  }
  if (!finished) throw new GatewayError('upstream', 'the upstream stream ended before the response was complete');
  response.toolCalls = [...toolCalls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
  return response;
}
