import type { ChatMessage, MessagePart, ReasoningPart } from '../canonical/chat-message.ts';
import type { ReasoningStateStore } from '../state/reasoning-state-store.ts';

/**
 * Puts back what the client's protocol could not carry: for each assistant turn with tool calls,
 * the signed reasoning that came before them and each call's own metadata, as the provider that
 * produced them requires on the next turn (Anthropic thinking signatures, Gemini thought
 * signatures). Only state from the same provider type and model is used — a conversation moved to
 * another model gets none. Reasoning the client sent back without metadata (OpenAI
 * `reasoning_content`) is replaced by the signed original. Returns the messages unchanged (the same
 * array) when nothing applies.
 */
export function reattachReasoningState(messages: ChatMessage[], store: ReasoningStateStore, providerType: string, model: string): ChatMessage[] {
  if (store.isEmpty) return messages;
  let result: ChatMessage[] | undefined;
  messages.forEach((message, index) => {
    if (message.role !== 'assistant') return;
    const restored = restoreTurn(message, store, providerType, model);
    if (restored === message) return;
    result ??= messages.slice();
    result[index] = restored;
  });
  return result ?? messages;
}

function restoreTurn(message: ChatMessage, store: ReasoningStateStore, providerType: string, model: string): ChatMessage {
  let reasoning: ReasoningPart[] | undefined;
  let changed = false;
  const parts: MessagePart[] = [];
  for (const part of message.parts) {
    if (part.type !== 'tool-call' || part.metadata !== undefined) {
      parts.push(part);
      continue;
    }
    const state = store.recallToolCall(part.id);
    if (state === undefined || state.providerType !== providerType || state.model !== model) {
      parts.push(part);
      continue;
    }
    reasoning ??= state.reasoning;
    if (state.toolCallMetadata !== undefined) {
      parts.push({ ...part, metadata: state.toolCallMetadata });
      changed = true;
    } else parts.push(part);
  }
  const hasSignedReasoning = message.parts.some((part) => part.type === 'reasoning' && part.metadata?.provider === providerType);
  if (reasoning !== undefined && reasoning.length > 0 && !hasSignedReasoning) {
    return { ...message, parts: [...reasoning, ...parts.filter((part) => part.type !== 'reasoning')] };
  }
  return changed ? { ...message, parts } : message;
}
