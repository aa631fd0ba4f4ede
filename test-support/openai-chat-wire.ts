import type { ContractAnswer, ContractToolCall } from './provider-contract-answer.ts';
import { CONTRACT_USAGE } from './provider-contract-answer.ts';

/**
 * OpenAI chat-completion bodies as the openai SDK types them (github:openai/openai-node
 * src/resources/chat/completions: `chat.completion` and `chat.completion.chunk`, tool-call deltas
 * by `index` with `id`/`function.name` on the first one, the usage chunk with empty `choices`
 * after the finish when `stream_options.include_usage` is set), for the upstreams that speak it.
 */
export interface OpenAIChatWireDialect {
  /** Where reasoning goes: a delta/message field (`reasoning` for Cerebras, `reasoning_content` for DeepSeek/vLLM), or Poe's thinking text in the content. */
  reasoning: 'reasoning' | 'reasoning_content' | 'poe-thinking';
}

const CREATED = 1754550000;
const MODEL = 'contract-model';

export function openAIChatStreamChunks(answer: ContractAnswer, dialect: OpenAIChatWireDialect): Record<string, unknown>[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
    id: 'chatcmpl-contract',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  const chunks: Record<string, unknown>[] = [chunk({ role: 'assistant', content: '' })];
  const text = (value: string): void => {
    for (const piece of halves(value)) chunks.push(chunk({ content: piece }));
  };
  if (answer.kind === 'reasoning') {
    if (dialect.reasoning === 'poe-thinking') text(poeThinking(answer.reasoning));
    else for (const piece of halves(answer.reasoning)) chunks.push(chunk({ [dialect.reasoning]: piece }));
  }
  if (answer.kind === 'text' || answer.kind === 'reasoning' || answer.kind === 'cut' || answer.kind === 'hold') text(answer.text);
  if (answer.kind === 'tool-calls') {
    answer.calls.forEach((call, index) => {
      chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
      for (const piece of halves(call.arguments)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
  }
  if (answer.kind === 'cut' || answer.kind === 'hold') return chunks;
  chunks.push(chunk({}, answer.kind === 'tool-calls' ? 'tool_calls' : 'stop'));
  chunks.push({ id: 'chatcmpl-contract', object: 'chat.completion.chunk', created: CREATED, model: MODEL, choices: [], usage: usage() });
  return chunks;
}

export function openAIChatCompletion(answer: ContractAnswer, dialect: OpenAIChatWireDialect): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: null };
  if (answer.kind === 'text' || answer.kind === 'cut' || answer.kind === 'hold') message.content = answer.text;
  if (answer.kind === 'reasoning') {
    if (dialect.reasoning === 'poe-thinking') message.content = poeThinking(answer.reasoning) + answer.text;
    else {
      message.content = answer.text;
      message[dialect.reasoning] = answer.reasoning;
    }
  }
  if (answer.kind === 'tool-calls') message.tool_calls = answer.calls.map((call: ContractToolCall) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  return {
    id: 'chatcmpl-contract',
    object: 'chat.completion',
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, message, finish_reason: answer.kind === 'tool-calls' ? 'tool_calls' : 'stop', logprobs: null }],
    usage: usage(),
  };
}

/** The progress text Poe's reasoning bots open their answer with (`*Thinking...*`, quoted lines, a blank line). */
export function poeThinking(reasoning: string): string {
  return `*Thinking...*\n\n> ${reasoning}\n\n`;
}

function usage(): Record<string, number> {
  return { prompt_tokens: CONTRACT_USAGE.input, completion_tokens: CONTRACT_USAGE.output, total_tokens: CONTRACT_USAGE.input + CONTRACT_USAGE.output };
}

/** A text in two deltas, so that the decoder has to join them. */
function halves(text: string): string[] {
  const middle = Math.ceil(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)].filter((piece) => piece.length > 0);
}
