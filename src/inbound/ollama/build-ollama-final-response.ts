import type { ChatResponse } from '../../canonical/chat-response.ts';
import { ollamaFileMarkdown } from './ollama-file-markdown.ts';
import { ollamaMetrics } from './ollama-metrics.ts';
import { ollamaDoneReason } from './ollama-stream-encoder.ts';
import { ollamaNow } from './ollama-time.ts';
import { ollamaToolCallId } from './ollama-tool-call-id.ts';
import { toOllamaToolCall } from './to-ollama-tool-call.ts';

/**
 * A whole answer (`stream:false`) as Ollama's single object: content and thinking concatenated,
 * tool calls aggregated, the metrics included. Chat puts the text in `message`, generate in
 * `response` (with `context` unless raw).
 */
export function buildOllamaFinalResponse(
  kind: 'chat' | 'generate',
  model: string,
  response: ChatResponse,
  context?: number[],
): Record<string, unknown> {
  let text = response.text;
  for (const file of response.files) text += ollamaFileMarkdown(file.url, file.mediaType, file.name);
  const toolCalls = response.toolCalls.map((call, index) => toOllamaToolCall(ollamaToolCallId(), call.name, call.arguments, index));
  const result: Record<string, unknown> = { model, created_at: ollamaNow() };
  if (kind === 'chat') {
    const message: Record<string, unknown> = { role: 'assistant', content: text };
    if (response.reasoning.length > 0) message.thinking = response.reasoning;
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    result.message = message;
  } else {
    result.response = text;
    if (response.reasoning.length > 0) result.thinking = response.reasoning;
  }
  result.done = true;
  result.done_reason = ollamaDoneReason(response.finishReason);
  if (context !== undefined) result.context = context;
  Object.assign(result, ollamaMetrics(response.usage, response.timing));
  if (kind === 'generate' && toolCalls.length > 0) result.tool_calls = toolCalls;
  return result;
}
