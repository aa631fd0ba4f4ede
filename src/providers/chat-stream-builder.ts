import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import type { FinishReason } from '../canonical/finish-reason.ts';
import type { GatewayError } from '../canonical/gateway-error.ts';
import type { Timing } from '../canonical/timing.ts';
import type { Usage } from '../canonical/usage.ts';

/**
 * Helps a provider's stream decoder emit well-formed canonical events: it opens and closes text
 * and reasoning blocks, closes tool calls, and guarantees one terminal event. Each method returns
 * the events to yield, in order (`yield* builder.text(delta)`).
 */
export class ChatStreamBuilder {
  private openBlock: 'text' | 'reasoning' | undefined;
  private readonly openToolCalls = new Set<number>();
  private ended = false;
  /** Whether anything the client would see (text, reasoning, tool call, file) was emitted. */
  hasOutput = false;

  get isEnded(): boolean {
    return this.ended;
  }

  text(delta: string): ChatStreamEvent[] {
    if (delta.length === 0 || this.ended) return [];
    this.hasOutput = true;
    if (this.openBlock === 'text') return [{ type: 'text-delta', text: delta }];
    const events = this.closeBlock();
    this.openBlock = 'text';
    events.push({ type: 'text-start' }, { type: 'text-delta', text: delta });
    return events;
  }

  reasoning(delta: string): ChatStreamEvent[] {
    if (delta.length === 0 || this.ended) return [];
    this.hasOutput = true;
    if (this.openBlock === 'reasoning') return [{ type: 'reasoning-delta', text: delta }];
    const events = this.closeBlock();
    this.openBlock = 'reasoning';
    events.push({ type: 'reasoning-start' }, { type: 'reasoning-delta', text: delta });
    return events;
  }

  toolCallStart(index: number, id: string, name: string): ChatStreamEvent[] {
    if (this.ended || this.openToolCalls.has(index)) return [];
    this.hasOutput = true;
    this.openToolCalls.add(index);
    return [...this.closeBlock(), { type: 'tool-call-start', index, id, name }];
  }

  toolCallDelta(index: number, argumentsDelta: string): ChatStreamEvent[] {
    if (this.ended || argumentsDelta.length === 0 || !this.openToolCalls.has(index)) return [];
    return [{ type: 'tool-call-delta', index, argumentsDelta }];
  }

  isToolCallOpen(index: number): boolean {
    return this.openToolCalls.has(index);
  }

  file(url: string, mediaType?: string, name?: string): ChatStreamEvent[] {
    if (this.ended) return [];
    this.hasOutput = true;
    const event: ChatStreamEvent = { type: 'file', url };
    if (mediaType !== undefined) event.mediaType = mediaType;
    if (name !== undefined) event.name = name;
    return [event];
  }

  finish(finishReason: FinishReason, details: { raw?: string; usage?: Usage; timing?: Timing } = {}): ChatStreamEvent[] {
    if (this.ended) return [];
    const events = this.closeAll();
    this.ended = true;
    const finish: ChatStreamEvent = { type: 'finish', finishReason };
    if (details.raw !== undefined) finish.rawFinishReason = details.raw;
    if (details.usage !== undefined) finish.usage = details.usage;
    if (details.timing !== undefined) finish.timing = details.timing;
    events.push(finish);
    return events;
  }

  error(error: GatewayError): ChatStreamEvent[] {
    if (this.ended) return [];
    const events = this.closeAll();
    this.ended = true;
    events.push({ type: 'error', error });
    return events;
  }

  private closeBlock(): ChatStreamEvent[] {
    const block = this.openBlock;
    this.openBlock = undefined;
    if (block === 'text') return [{ type: 'text-end' }];
    if (block === 'reasoning') return [{ type: 'reasoning-end' }];
    return [];
  }

  private closeAll(): ChatStreamEvent[] {
    const events = this.closeBlock();
    for (const index of this.openToolCalls) events.push({ type: 'tool-call-end', index });
    this.openToolCalls.clear();
    return events;
  }
}
