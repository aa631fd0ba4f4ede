import type { ChatMessage } from '../../../canonical/chat-message.ts';
import type { OpenAIPlainMessage, SameProtocolHint } from '../../../providers/provider-adapter.ts';

/**
 * The same-protocol hint for a Responses request whose canonical messages are all plain text
 * turns: each a system, developer, user or assistant message of exactly one text part and no name,
 * which an OpenAI chat message `{role, content}` says exactly (what a provider converting the
 * canonical messages back would send). Text input and instructions (Codex's first turn, a plain
 * question) give such messages; anything else (several parts, reasoning, tool calls, images, tool
 * results) gives undefined, and the provider converts the canonical messages itself.
 */
export function plainChatMessagesHint(messages: readonly ChatMessage[]): SameProtocolHint | undefined {
  const plain: OpenAIPlainMessage[] = [];
  for (const message of messages) {
    const { role, parts } = message;
    if (role === 'tool' || parts.length !== 1 || message.name !== undefined) return undefined;
    const part = parts[0];
    if (part?.type !== 'text') return undefined;
    plain.push({ role, content: part.text });
  }
  return { openAIMessages: plain };
}
