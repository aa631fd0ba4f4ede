import { responseText, type ChatResponse, type ResponsePart } from '../../canonical/chat-response.ts';
import { batchedChatStream, chatEventBatches, type BatchedChatStream } from '../../canonical/chat-event-batches.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { ChatStreamBuilder } from '../chat-stream-builder.ts';
import { PoeThinkingSplitter } from './poe-thinking-splitter.ts';

/**
 * The thinking split of PoeThinkingSplitter for answers that arrive as canonical events (Poe's
 * OpenAI-compatible API serves the same bots, with the same progress text in `content`): text
 * deltas go through the splitter, everything else passes, and the block structure is rebuilt.
 * Batch by batch, so each upstream chunk still leaves in one write.
 */
export function splitPoeThinkingEvents(events: AsyncIterable<ChatStreamEvent>): BatchedChatStream {
  return batchedChatStream(() => splitBatches(chatEventBatches(events)));
}

async function* splitBatches(batches: AsyncIterable<ChatStreamEvent[]>): AsyncGenerator<ChatStreamEvent[]> {
  const splitter = new PoeThinkingEventSplitter();
  for await (const batch of batches) {
    const out = splitter.push(batch);
    if (out.length > 0) yield out;
  }
}

/** The split, synchronously: a batch of canonical events in, the split batch out. */
export class PoeThinkingEventSplitter {
  private readonly builder = new ChatStreamBuilder();
  private out: ChatStreamEvent[] = [];
  private readonly splitter = new PoeThinkingSplitter({ reasoning: (text) => this.add(this.builder.reasoning(text)), text: (text) => this.add(this.builder.text(text)) });

  push(events: readonly ChatStreamEvent[]): ChatStreamEvent[] {
    for (const event of events) this.event(event);
    const out = this.out;
    this.out = [];
    return out;
  }

  private event(event: ChatStreamEvent): void {
    const builder = this.builder;
    switch (event.type) {
      case 'text-delta':
        this.splitter.push(event.text);
        break;
      case 'reasoning-delta':
        this.add(builder.reasoning(event.text));
        break;
      case 'tool-call-start':
        this.add(builder.toolCallStart(event.toolCallId, event.name, event.metadata));
        break;
      case 'tool-call-delta':
        this.add(builder.toolCallDelta(event.argumentsDelta));
        break;
      case 'file': {
        const { url, type: _type, ...details } = event;
        this.add(builder.file(url, details));
        break;
      }
      case 'input-usage':
        this.out.push(event);
        break;
      case 'finish': {
        this.splitter.end();
        const details: Parameters<ChatStreamBuilder['finish']>[1] = {};
        if (event.rawFinishReason !== undefined) details.raw = event.rawFinishReason;
        if (event.usage !== undefined) details.usage = event.usage;
        if (event.timing !== undefined) details.timing = event.timing;
        this.add(builder.finish(event.finishReason, details));
        break;
      }
      case 'error':
        this.splitter.end();
        this.add(builder.error(event.error));
        break;
      case 'response-start':
        this.out.push(event);
        break;
      default:
        // Block starts and ends are rebuilt by the builder.
        break;
    }
  }

  private add(events: ChatStreamEvent[]): void {
    for (const event of events) this.out.push(event);
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
