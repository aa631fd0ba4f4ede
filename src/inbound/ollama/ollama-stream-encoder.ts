import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { toGatewayError } from '../../canonical/gateway-error.ts';
import { ollamaFileMarkdown } from './ollama-file-markdown.ts';
import { ollamaMetrics } from './ollama-metrics.ts';
import { ollamaNow } from './ollama-time.ts';
import { ollamaToolCallId } from './ollama-tool-call-id.ts';
import { toOllamaLogprobs } from './to-ollama-logprobs.ts';
import { toOllamaToolCall, type OllamaToolCallOut } from './to-ollama-tool-call.ts';

export interface OllamaStreamOptions {
  /** `chat` puts text in `message.content`; `generate` in `response`. */
  kind: 'chat' | 'generate';
  /** The model name as the client sent it; Ollama echoes it. */
  model: string;
  /** Generate only: the final chunk's `context` from the whole answer; absent in raw mode. */
  context?: (answer: string) => Promise<number[]>;
}

interface PendingToolCall {
  name: string;
  arguments: string;
}

/**
 * Canonical stream events → Ollama's NDJSON lines, each exactly `json + "\n"`. Text and thinking go
 * in `done:false` chunks, each tool call whole in one chunk (with Ollama's `call_` id and
 * `function.index`), then one final `done:true` chunk with empty content, `done_reason` (`stop` or
 * `length`, never `tool_calls`) and the metrics. An error ends the stream with an `{"error"}` line.
 * Per token only the timestamp and the JSON-escaped text are built; the rest is precomputed. One
 * string per batch: one write per upstream network chunk.
 */
export async function* encodeOllamaStream(batches: AsyncIterable<readonly ChatStreamEvent[]>, options: OllamaStreamOptions): AsyncGenerator<string> {
  const chat = options.kind === 'chat';
  const head = `{"model":${JSON.stringify(options.model)},"created_at":"`;
  const textOpen = chat ? '","message":{"role":"assistant","content":' : '","response":';
  const textClose = chat ? '},"done":false}\n' : ',"done":false}\n';
  const thinkingOpen = chat ? '","message":{"role":"assistant","content":"","thinking":' : '","response":"","thinking":';
  const textCloseWithLogprobs = chat ? '},"done":false,"logprobs":' : ',"done":false,"logprobs":';
  let pending: PendingToolCall | undefined;
  let toolCallCount = 0;
  let answer = '';
  const keepAnswer = options.context !== undefined;

  try {
    for await (const batch of batches) {
      let out = '';
      for (const event of batch) {
        switch (event.type) {
          case 'text-delta': {
            if (event.text.length === 0) break;
            if (keepAnswer) answer += event.text;
            const close = event.logprobs === undefined ? textClose : textCloseWithLogprobs + JSON.stringify(toOllamaLogprobs(event.logprobs)) + '}\n';
            out += head + ollamaNow() + textOpen + JSON.stringify(event.text) + close;
            break;
          }
          case 'reasoning-delta':
            if (event.text.length === 0) break;
            out += head + ollamaNow() + thinkingOpen + JSON.stringify(event.text) + textClose;
            break;
          case 'tool-call-start':
            pending = { name: event.name, arguments: '' };
            break;
          case 'tool-call-delta':
            if (pending !== undefined) pending.arguments += event.argumentsDelta;
            break;
          case 'tool-call-end': {
            if (pending === undefined) break;
            const toolCall = toOllamaToolCall(ollamaToolCallId(), pending.name, pending.arguments, toolCallCount++);
            pending = undefined;
            out += toolCallLine(head, chat, toolCall);
            break;
          }
          case 'file': {
            const text = ollamaFileMarkdown(event.url, event.mediaType, event.name);
            if (keepAnswer) answer += text;
            out += head + ollamaNow() + textOpen + JSON.stringify(text) + textClose;
            break;
          }
          case 'finish': {
            const final: Record<string, unknown> = { model: options.model, created_at: ollamaNow() };
            if (chat) final.message = { role: 'assistant', content: '' };
            else final.response = '';
            final.done = true;
            final.done_reason = ollamaDoneReason(event.finishReason);
            if (options.context !== undefined) {
              // The answer's context takes a tokenizer pass: what came before it leaves first.
              if (out.length > 0) yield out;
              out = '';
              final.context = await options.context(answer);
            }
            Object.assign(final, ollamaMetrics(event.usage, event.timing));
            yield out + JSON.stringify(final) + '\n';
            return;
          }
          case 'error':
            yield out + ollamaErrorLine(event.error.message);
            return;
          default:
            break;
        }
      }
      if (out.length > 0) yield out;
    }
    yield ollamaErrorLine('the upstream stream ended before the response was complete');
  } catch (error) {
    yield ollamaErrorLine(toGatewayError(error).message);
  }
}

/** `stop` or `length`: Ollama's native API never says `tool_calls`, even after a tool call. */
export function ollamaDoneReason(finishReason: FinishReason): string {
  return finishReason === 'length' ? 'length' : 'stop';
}

/** The line that ends a stream that failed after it began (HTTP 200 already sent). */
export function ollamaErrorLine(message: string): string {
  return JSON.stringify({ error: message }) + '\n';
}

function toolCallLine(head: string, chat: boolean, toolCall: OllamaToolCallOut): string {
  const calls = JSON.stringify([toolCall]);
  return chat
    ? head + ollamaNow() + '","message":{"role":"assistant","content":"","tool_calls":' + calls + '},"done":false}\n'
    : head + ollamaNow() + '","response":"","done":false,"tool_calls":' + calls + '}\n';
}
