import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { ChatStreamBuilder } from '../src/providers/chat-stream-builder.ts';

/**
 * A test script as a well-formed canonical stream: its output events go through the
 * ChatStreamBuilder, so scripts may leave out block starts and ends (and use any ids) and still
 * reach the code under test as a real provider's stream would — blocks with ids, one after
 * another. Terminal events pass as they are; a script without one stays without one.
 */
export function normalizeScript(script: readonly ChatStreamEvent[]): ChatStreamEvent[] {
  const builder = new ChatStreamBuilder();
  const events: ChatStreamEvent[] = [];
  for (const event of script) {
    switch (event.type) {
      case 'text-delta':
        events.push(...builder.text(event.text, event.logprobs));
        break;
      case 'reasoning-delta':
        events.push(...builder.reasoning(event.text));
        break;
      case 'reasoning-end':
      case 'text-end':
        if (event.metadata !== undefined) builder.attachMetadata(event.type === 'text-end' ? 'text' : 'reasoning', event.metadata);
        events.push(...builder.endBlock());
        break;
      case 'tool-call-start':
        events.push(...builder.toolCallStart(event.toolCallId, event.name, event.metadata));
        break;
      case 'tool-call-delta':
        events.push(...builder.toolCallDelta(event.argumentsDelta));
        break;
      case 'tool-call-end':
        events.push(...builder.endBlock());
        break;
      case 'file': {
        const { url, type: _type, ...details } = event;
        events.push(...builder.file(url, details));
        break;
      }
      case 'finish': {
        const details: Parameters<ChatStreamBuilder['finish']>[1] = {};
        if (event.rawFinishReason !== undefined) details.raw = event.rawFinishReason;
        if (event.usage !== undefined) details.usage = event.usage;
        if (event.timing !== undefined) details.timing = event.timing;
        events.push(...builder.finish(event.finishReason, details));
        break;
      }
      case 'error':
        events.push(...builder.error(event.error));
        break;
      case 'response-start':
      case 'input-usage':
        events.push(event);
        break;
      case 'text-start':
      case 'reasoning-start':
        // Opened by the first delta.
        break;
    }
  }
  return events;
}
