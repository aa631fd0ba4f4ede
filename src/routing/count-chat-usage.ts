import type { ChatMessage } from '../canonical/chat-message.ts';
import type { ToolDefinition } from '../canonical/tool-definition.ts';
import type { Usage } from '../canonical/usage.ts';
import { loadTextTokenizer } from '../tokens/text-tokenizer.ts';
import { countPrompt } from './prompt-token-counter.ts';

/**
 * Token counts for an upstream that reported none (Poe's bot protocol), with the o200k tokenizer:
 * exact for current OpenAI models, an estimate for others — and always real text, never a constant.
 */
export async function countChatUsage(messages: ChatMessage[], tools: ToolDefinition[] | undefined, output: string, signal?: AbortSignal): Promise<Usage> {
  const tokenizer = await loadTextTokenizer();
  const inputTokens = await countPrompt(tokenizer, messages, tools, signal);
  const outputTokens = output.length === 0 ? 0 : await tokenizer.count(output, signal);
  return { input: { total: inputTokens }, output: { total: outputTokens }, source: 'counted' };
}
