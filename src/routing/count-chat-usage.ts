import type { ChatMessage } from '../canonical/chat-message.ts';
import type { ToolDefinition } from '../canonical/tool-definition.ts';
import type { Usage } from '../canonical/usage.ts';
import { loadTextTokenizer } from '../tokens/text-tokenizer.ts';

/**
 * Token counts for an upstream that reported none (Poe's bot protocol), with the o200k tokenizer:
 * exact for current OpenAI models, an estimate for others — and always real text, never a constant.
 */
export async function countChatUsage(messages: ChatMessage[], tools: ToolDefinition[] | undefined, output: string, signal?: AbortSignal): Promise<Usage> {
  const tokenizer = await loadTextTokenizer();
  let prompt = '';
  for (const message of messages) {
    prompt += message.role + '\n';
    for (const part of message.parts) {
      if (part.type === 'text' || part.type === 'reasoning') prompt += part.text;
      else if (part.type === 'tool-call') prompt += part.name + part.arguments;
      else if (part.type === 'tool-result') prompt += part.content;
      else if (part.type === 'provider-block') prompt += JSON.stringify(part.block);
      prompt += '\n';
    }
  }
  if (tools !== undefined && tools.length > 0) prompt += JSON.stringify(tools);
  const inputTokens = await tokenizer.count(prompt, signal);
  const outputTokens = output.length === 0 ? 0 : await tokenizer.count(output, signal);
  return { input: { total: inputTokens }, output: { total: outputTokens }, source: 'counted' };
}
