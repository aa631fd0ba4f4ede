import type { ChatMessage } from '../../canonical/chat-message.ts';

import { loadTextTokenizer } from '../../tokens/text-tokenizer.ts';

type Turn = ['user' | 'assistant', string];

const MARK = 'llmux-context-v1';

/**
 * /api/generate's deprecated `context`: Ollama returns the prompt and answer as model tokens,
 * and a client sending them back continues the conversation. llmux has no model tokenizer, so it
 * returns the turns as tokens of a small JSON document (o200k BPE, which decodes losslessly) and
 * turns them back into messages when they come back. Tokens from a real Ollama are not ours and
 * are ignored.
 */
export async function encodeGenerateContext(previous: ChatMessage[], prompt: string, answer: string, signal?: AbortSignal): Promise<number[]> {
  const turns: Turn[] = [];
  for (const message of previous) {
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    let text = '';
    for (const part of message.parts) if (part.type === 'text') text += part.text;
    turns.push([message.role, text]);
  }
  turns.push(['user', prompt], ['assistant', answer]);
  return (await loadTextTokenizer()).encode(JSON.stringify({ [MARK]: turns }), signal);
}

/** The conversation a `context` holds, or [] when it is not one llmux made. */
export async function decodeGenerateContext(tokens: readonly number[]): Promise<ChatMessage[]> {
  if (tokens.length === 0) return [];
  let document: unknown;
  try {
    document = JSON.parse((await loadTextTokenizer()).decode(tokens));
  } catch {
    return [];
  }
  if (document === null || typeof document !== 'object' || !(MARK in document)) return [];
  const turns = (document as Record<string, unknown>)[MARK];
  if (!Array.isArray(turns)) return [];
  const messages: ChatMessage[] = [];
  for (const turn of turns) {
    if (!Array.isArray(turn) || (turn[0] !== 'user' && turn[0] !== 'assistant') || typeof turn[1] !== 'string') return [];
    messages.push({ role: turn[0], parts: [{ type: 'text', text: turn[1] }] });
  }
  return messages;
}
