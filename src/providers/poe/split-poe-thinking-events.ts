import { responseText, type ChatResponse, type ResponsePart } from '../../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { ChatStreamBuilder } from '../chat-stream-builder.ts';
import { PoeThinkingSplitter } from './poe-thinking-splitter.ts';

/**
 * The thinking split of PoeThinkingSplitter for answers that arrive as canonical events (Poe's
 * OpenAI-compatible API serves the same bots, with the same progress text in `content`): text
 * deltas go through the splitter, everything else passes, and the block structure is rebuilt.
 */
export async function* splitPoeThinkingEvents(events: AsyncIterable<ChatStreamEvent>): AsyncGenerator<ChatStreamEvent> {
  const builder = new ChatStreamBuilder();
  const out: ChatStreamEvent[] = [];
  const push = (produced: ChatStreamEvent[]): void => {
    for (const event of produced) out.push(event);
  };
  const splitter = new PoeThinkingSplitter({ reasoning: (text) => push(builder.reasoning(text)), text: (text) => push(builder.text(text)) });
  for await (const event of events) {
    switch (event.type) {
      case 'text-delta':
        splitter.push(event.text);
        break;
      case 'reasoning-delta':
        push(builder.reasoning(event.text));
        break;
      case 'tool-call-start':
        push(builder.toolCallStart(event.toolCallId, event.name, event.metadata));
        break;
      case 'tool-call-delta':
        push(builder.toolCallDelta(event.argumentsDelta));
        break;
      case 'file': {
        const { url, type: _type, ...details } = event;
        push(builder.file(url, details));
        break;
      }
      case 'input-usage':
        out.push(event);
        break;
      case 'finish': {
        splitter.end();
        const details: Parameters<ChatStreamBuilder['finish']>[1] = {};
        if (event.rawFinishReason !== undefined) details.raw = event.rawFinishReason;
        if (event.usage !== undefined) details.usage = event.usage;
        if (event.timing !== undefined) details.timing = event.timing;
        push(builder.finish(event.finishReason, details));
        break;
      }
      case 'error':
        splitter.end();
        push(builder.error(event.error));
        break;
      case 'response-start':
        out.push(event);
        break;
      default:
        // Block starts and ends are rebuilt by the builder.
        break;
    }
    for (const produced of out) yield produced;
    out.length = 0;
  }
}

/** The same split for a whole answer: leading thinking in its text moves into a reasoning part before it. */
export function splitPoeThinkingResponse(response: ChatResponse): ChatResponse {
  let reasoning = '';
  let text = '';
  const splitter = new PoeThinkingSplitter({ reasoning: (delta) => (reasoning += delta), text: (delta) => (text += delta) });
  splitter.push(responseText(response));
  splitter.end();
  if (reasoning === '') return response;
  const parts: ResponsePart[] = [{ type: 'reasoning', text: reasoning }];
  let textPlaced = false;
  for (const part of response.parts) {
    if (part.type !== 'text') parts.push(part);
    else if (!textPlaced) {
      textPlaced = true;
      if (text.length > 0) parts.push({ type: 'text', text });
    }
  }
  return { ...response, parts };
}
