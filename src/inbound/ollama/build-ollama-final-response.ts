import { responseLogprobs, type ChatResponse } from '../../canonical/chat-response.ts';
import { ollamaFileMarkdown } from './ollama-file-markdown.ts';
import { ollamaMetrics } from './ollama-metrics.ts';
import { ollamaDoneReason } from './ollama-stream-encoder.ts';
import { ollamaNow } from './ollama-time.ts';
import { ollamaToolCallId } from './ollama-tool-call-id.ts';
import { toOllamaLogprobs } from './to-ollama-logprobs.ts';
import { toOllamaToolCall, type OllamaToolCallOut } from './to-ollama-tool-call.ts';

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
  let text = '';
  let reasoning = '';
  const toolCalls: OllamaToolCallOut[] = [];
  for (const part of response.parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
    else if (part.type === 'tool-call') toolCalls.push(toOllamaToolCall(ollamaToolCallId(), part.name, part.arguments, toolCalls.length));
    else if (part.type === 'generated-file') text += ollamaFileMarkdown(part.url, part.mediaType, part.name);
    // provider-block parts answer only Anthropic clients' server tools; Ollama has no shape for them.
  }
  const logprobs = responseLogprobs(response);
  const result: Record<string, unknown> = { model, created_at: ollamaNow() };
  if (kind === 'chat') {
    const message: Record<string, unknown> = { role: 'assistant', content: text };
    if (reasoning.length > 0) message.thinking = reasoning;
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    result.message = message;
  } else {
    result.response = text;
    if (reasoning.length > 0) result.thinking = reasoning;
  }
  result.done = true;
  result.done_reason = ollamaDoneReason(response.finishReason);
  // Field order as Ollama's encoder writes them (api/types.go ChatResponse / GenerateResponse).
  if (kind === 'chat' && logprobs !== undefined) result.logprobs = toOllamaLogprobs(logprobs);
  if (context !== undefined) result.context = context;
  Object.assign(result, ollamaMetrics(response.usage, response.timing));
  if (kind === 'generate' && toolCalls.length > 0) result.tool_calls = toolCalls;
  if (kind === 'generate' && logprobs !== undefined) result.logprobs = toOllamaLogprobs(logprobs);
  return result;
}
