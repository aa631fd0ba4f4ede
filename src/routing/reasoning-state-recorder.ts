import type { ReasoningPart } from '../canonical/chat-message.ts';
import type { ChatResponse } from '../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import type { ProviderMetadata } from '../canonical/provider-metadata.ts';
import type { ReasoningStateStore } from '../state/reasoning-state-store.ts';

/**
 * Watches an answer for provider state a client may not be able to send back, and keeps it by
 * tool-call id once the answer is complete: the turn's reasoning parts (with their text, which
 * the signature covers) and each call's metadata. An answer without any metadata stores nothing.
 */
export class ReasoningStateRecorder {
  private readonly reasoning: ReasoningPart[] = [];
  private readonly toolCalls: { id: string; metadata?: ProviderMetadata }[] = [];
  private current: ReasoningPart | undefined;
  private signed = false;

  private readonly store: ReasoningStateStore;
  private readonly providerType: string;
  private readonly model: string;

  constructor(store: ReasoningStateStore, providerType: string, model: string) {
    this.store = store;
    this.providerType = providerType;
    this.model = model;
  }

  observe(event: ChatStreamEvent): void {
    switch (event.type) {
      case 'reasoning-start':
        this.current = event.redacted === true ? { type: 'reasoning', text: '', redacted: true } : { type: 'reasoning', text: '' };
        this.reasoning.push(this.current);
        break;
      case 'reasoning-delta':
        if (this.current !== undefined) this.current.text += event.text;
        break;
      case 'reasoning-end':
        if (this.current !== undefined && event.metadata !== undefined) {
          this.current.metadata = event.metadata;
          this.signed = true;
        }
        this.current = undefined;
        break;
      case 'tool-call-start':
        if (event.metadata === undefined) this.toolCalls.push({ id: event.toolCallId });
        else {
          this.toolCalls.push({ id: event.toolCallId, metadata: event.metadata });
          this.signed = true;
        }
        break;
      case 'finish':
        this.commit();
        break;
      default:
        break;
    }
  }

  /**
   * Keeps a whole answer's provider state; an answer with no metadata on any part (most) is
   * passed over without making a recorder.
   */
  static recordResponse(store: ReasoningStateStore, providerType: string, model: string, response: ChatResponse): void {
    if (!response.parts.some(carriesMetadata)) return;
    new ReasoningStateRecorder(store, providerType, model).observeResponse(response);
  }

  /** The same for a whole answer. */
  observeResponse(response: ChatResponse): void {
    for (const part of response.parts) {
      if (part.type === 'reasoning') {
        this.reasoning.push(part);
        if (part.metadata !== undefined) this.signed = true;
      } else if (part.type === 'tool-call') {
        if (part.metadata === undefined) this.toolCalls.push({ id: part.id });
        else {
          this.toolCalls.push({ id: part.id, metadata: part.metadata });
          this.signed = true;
        }
      }
    }
    this.commit();
  }

  private commit(): void {
    if (!this.signed || this.toolCalls.length === 0) return;
    const reasoning = this.reasoning.filter((part) => part.metadata !== undefined);
    for (const call of this.toolCalls) {
      const state = { providerType: this.providerType, model: this.model, reasoning };
      this.store.rememberToolCall(call.id, call.metadata === undefined ? state : { ...state, toolCallMetadata: call.metadata });
    }
  }
}

/** Only reasoning and tool-call parts with metadata make the recorder keep anything (see commit). */
function carriesMetadata(part: ChatResponse['parts'][number]): boolean {
  return (part.type === 'reasoning' || part.type === 'tool-call') && part.metadata !== undefined;
}
