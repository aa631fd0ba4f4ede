import type { ChatMessage } from '../canonical/chat-message.ts';
import type { ToolDefinition } from '../canonical/tool-definition.ts';
import { giveTurnBack, loadTextTokenizer, SLICE_CHARS, type TextTokenizer } from '../tokens/text-tokenizer.ts';
import { TokenCountCache } from '../tokens/token-count-cache.ts';

export type PromptTokenCounter = (messages: readonly ChatMessage[], tools: readonly ToolDefinition[] | undefined, signal?: AbortSignal) => Promise<number>;

/** Counts of the messages and tool lists of recent prompts, shared by every request. */
const promptPieces = new TokenCountCache();

/**
 * Counts a prompt's tokens with the o200k tokenizer (exact for OpenAI models, an estimate for
 * others): what `count_tokens` answers for upstreams that cannot count, and what a stream's first
 * event reports before an upstream that tells its count only at the end has done so. Counted by
 * the shared text tokenizer: linear time on any prompt (a long run of letters does not stall the
 * event loop), in slices that give the event loop back, stopping when `signal` fires.
 */
export async function loadPromptTokenCounter(): Promise<PromptTokenCounter> {
  const tokenizer = await loadTextTokenizer();
  return (messages, tools, signal) => countPrompt(tokenizer, messages, tools, signal);
}

/**
 * The tokens of a prompt written as one text — each message as its role, a newline, and each of
 * its parts followed by a newline, then the tools as JSON — counted message by message, each
 * message's count (and the tool list's) remembered, so that a conversation's next turn tokenizes
 * only its new messages. The sum is the whole text's o200k count: a message's text ends with a
 * newline and the next piece starts with a letter (a role) or `[` (the tools), and the
 * tokenizer's pre-split never joins a newline to either, so no token spans two pieces. Pieces
 * too short to be remembered are joined and counted in one call (a short prompt costs what it did
 * counted whole); the others are tokenized in slices across messages as one text is (many
 * messages give the event loop back and stop when `signal` fires just as one long one does).
 */
export async function countPrompt(tokenizer: TextTokenizer, messages: readonly ChatMessage[], tools: readonly ToolDefinition[] | undefined, signal?: AbortSignal): Promise<number> {
  const pieces = messages.map(messageText);
  if (tools !== undefined && tools.length > 0) pieces.push(JSON.stringify(tools));
  let total = 0;
  let short = '';
  let sinceYield = 0;
  for (const text of pieces) {
    if (!promptPieces.remembers(text)) {
      short += text;
      continue;
    }
    // A remembered piece costs no promise step.
    const counted = promptPieces.count(tokenizer, text, signal);
    if (typeof counted === 'number') {
      total += counted;
      continue;
    }
    total += await counted;
    sinceYield += text.length;
    if (sinceYield >= SLICE_CHARS) {
      sinceYield = 0;
      await giveTurnBack(signal);
    }
  }
  if (short.length > 0) total += await tokenizer.count(short, signal);
  return total;
}

function messageText(message: ChatMessage): string {
  let text = message.role + '\n';
  for (const part of message.parts) {
    if (part.type === 'text' || part.type === 'reasoning') text += part.text;
    else if (part.type === 'tool-call') text += part.name + part.arguments;
    else if (part.type === 'tool-result') text += part.content;
    else if (part.type === 'provider-block') text += JSON.stringify(part.block);
    text += '\n';
  }
  return text;
}
