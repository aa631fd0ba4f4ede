import { randomBytes } from 'node:crypto';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ChatStreamBuilder } from '../chat-stream-builder.ts';
import type { OpenAICompatibleToolCallDelta } from './openai-compatible-response-schemas.ts';

interface PendingToolCall {
  /** The id the call started with (the upstream's, or one made up for it). */
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
 * `delta.tool_calls` fragments → canonical tool-call blocks. A call starts once its name is known
 * (some providers send the id, or even argument text, in a fragment before the name), and ends
 * when the next block starts: canonical blocks are sequential. Fragments without `index` use their
 * position in the array; a fragment at a used index with a new id and name is a new call (servers
 * that number every call 0). Arguments for a call that has already ended (an upstream that
 * interleaves two calls' arguments) cannot be placed in order and end the stream with an error
 * rather than a call with half its arguments.
 */
export class OpenAICompatibleToolCallAssembler {
  private readonly calls = new Map<number, PendingToolCall>();
  private started = 0;

  /** How many calls have started. */
  get count(): number {
    return this.started;
  }

  push(fragment: OpenAICompatibleToolCallDelta, position: number, builder: ChatStreamBuilder): ChatStreamEvent[] {
    const key = fragment.index ?? position;
    const name = fragment.function?.name ?? '';
    const id = fragment.id ?? '';
    let call = this.calls.get(key);
    if (call === undefined || (call.started && id !== '' && id !== call.id && name !== '')) {
      call = { id: '', name: '', heldArguments: '', started: false };
      this.calls.set(key, call);
    }
    const argumentsDelta = fragment.function?.arguments ?? '';
    if (call.started) {
      if (argumentsDelta.length === 0) return [];
      if (builder.openToolCallId === call.id) return builder.toolCallDelta(argumentsDelta);
      return builder.error(new GatewayError('upstream', `the upstream sent more arguments for tool call '${call.name}' after another block had started`));
    }
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
    this.started++;
    if (call.id === '') call.id = generateToolCallId();
    const events = builder.toolCallStart(call.id, call.name);
    if (call.heldArguments.length > 0) events.push(...builder.toolCallDelta(call.heldArguments));
    call.heldArguments = '';
    return events;
  }
}
