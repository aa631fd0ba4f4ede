import type { ChatMessage } from '../canonical/chat-message.ts';
import type { ToolDefinition } from '../canonical/tool-definition.ts';
import type { Usage } from '../canonical/usage.ts';

type CountTokens = (text: string) => number;
let counter: Promise<CountTokens> | undefined;

/** The tokenizer, loaded on first use only: most upstreams report usage themselves. */
function loadCounter(): Promise<CountTokens> {
  counter ??= import('gpt-tokenizer').then((module) => (text: string) => module.countTokens(text));
  return counter;
}

/**
 * Token counts for an upstream that reported none (Poe's bot protocol), with the o200k tokenizer:
 * exact for current OpenAI models, an estimate for others — and always real text, never a constant.
 */
export async function countChatUsage(messages: ChatMessage[], tools: ToolDefinition[] | undefined, output: string): Promise<Usage> {
  const count = await loadCounter();
  let prompt = '';
  for (const message of messages) {
    prompt += message.role + '\n';
    for (const part of message.parts) {
      if (part.type === 'text' || part.type === 'reasoning') prompt += part.text;
      else if (part.type === 'tool-call') prompt += part.name + part.arguments;
      else if (part.type === 'tool-result') prompt += part.content;
      prompt += '\n';
    }
  }
  if (tools !== undefined && tools.length > 0) prompt += JSON.stringify(tools);
  return { input: { total: count(prompt) }, output: { total: output.length === 0 ? 0 : count(output) }, source: 'counted' };
}
