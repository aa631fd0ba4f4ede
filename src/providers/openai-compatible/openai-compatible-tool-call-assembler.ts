import { randomBytes } from 'node:crypto';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { ChatStreamBuilder } from '../chat-stream-builder.ts';
import type { OpenAICompatibleToolCallDelta } from './openai-compatible-response-schemas.ts';

interface PendingToolCall {
  index: number;
  id: string;
  name: string;
  /** Arguments that arrived before the name, sent once the call can start. */
  heldArguments: string;
  started: boolean;
}

/** An id for a tool call the upstream sent none for (some local servers omit it). */
export function generateToolCallId(): string {
  return 'call_' + randomBytes(12).toString('hex');
}

/**
 * `delta.tool_calls` fragments → canonical tool-call events. A call starts once its name is known
 * (some providers send the id, or even argument text, in a fragment before the name); fragments
 * without `index` use their position in the array; a fragment at a used index with a new id and
 * name is a new call (servers that number every call 0).
 */
export class OpenAICompatibleToolCallAssembler {
  private readonly calls = new Map<number, PendingToolCall>();
  private nextIndex = 0;

  get count(): number {
    return this.nextIndex;
  }

  push(fragment: OpenAICompatibleToolCallDelta, position: number, builder: ChatStreamBuilder): ChatStreamEvent[] {
    const key = fragment.index ?? position;
    const name = fragment.function?.name ?? '';
    const id = fragment.id ?? '';
    let call = this.calls.get(key);
    if (call === undefined || (call.started && id !== '' && id !== call.id && name !== '')) {
      call = { index: this.nextIndex++, id: '', name: '', heldArguments: '', started: false };
      this.calls.set(key, call);
    }
    const argumentsDelta = fragment.function?.arguments ?? '';
    if (call.started) return builder.toolCallDelta(call.index, argumentsDelta);
    if (id !== '') call.id = id;
    if (name !== '') call.name = name;
    call.heldArguments += argumentsDelta;
    return call.name === '' ? [] : this.start(call, builder);
  }

  /** At the end of the stream: calls still waiting for a name start with what they have. */
  flush(builder: ChatStreamBuilder): ChatStreamEvent[] {
    const events: ChatStreamEvent[] = [];
    for (const call of this.calls.values()) if (!call.started) events.push(...this.start(call, builder));
    return events;
  }

  private start(call: PendingToolCall, builder: ChatStreamBuilder): ChatStreamEvent[] {
    call.started = true;
    const events = builder.toolCallStart(call.index, call.id === '' ? generateToolCallId() : call.id, call.name);
    if (call.heldArguments.length > 0) events.push(...builder.toolCallDelta(call.index, call.heldArguments));
    call.heldArguments = '';
    return events;
  }
}
