import type { ChatMessage } from '../canonical/chat-message.ts';
import type { ToolDefinition } from '../canonical/tool-definition.ts';
import { loadTextTokenizer } from '../tokens/text-tokenizer.ts';

export type PromptTokenCounter = (messages: readonly ChatMessage[], tools: readonly ToolDefinition[] | undefined, signal?: AbortSignal) => Promise<number>;

/**
 * Counts a prompt's tokens with the o200k tokenizer (exact for OpenAI models, an estimate for
 * others): what `count_tokens` answers for upstreams that cannot count, and what a stream's first
 * event reports before an upstream that tells its count only at the end has done so. Counted by
 * the shared text tokenizer: linear time on any prompt (a long run of letters does not stall the
 * event loop), in slices that give the event loop back, stopping when `signal` fires.
 */
export async function loadPromptTokenCounter(): Promise<PromptTokenCounter> {
  const tokenizer = await loadTextTokenizer();
  return (messages, tools, signal) => tokenizer.count(promptText(messages, tools), signal);
}

function promptText(messages: readonly ChatMessage[], tools: readonly ToolDefinition[] | undefined): string {
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
  return prompt;
}
