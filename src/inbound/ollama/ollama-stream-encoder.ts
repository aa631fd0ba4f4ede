import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { toGatewayError } from '../../canonical/gateway-error.ts';
import { EventByEventEncoder } from '../chat-stream-encoder.ts';
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
export class OllamaStreamEncoder extends EventByEventEncoder {
  private readonly options: OllamaStreamOptions;
  private readonly chat: boolean;
  private readonly head: string;
  private readonly textOpen: string;
  private readonly textClose: string;
  private readonly thinkingOpen: string;
  private readonly textCloseWithLogprobs: string;
  private readonly keepAnswer: boolean;
  private pending: PendingToolCall | undefined;
  private toolCallCount = 0;
  private answer = '';
  /** Generate's final line, which waits for the answer's context (a tokenizer pass). */
  private final: Promise<string> | undefined;

  constructor(options: OllamaStreamOptions) {
    super();
    this.options = options;
    this.chat = options.kind === 'chat';
    this.head = `{"model":${JSON.stringify(options.model)},"created_at":"`;
    this.textOpen = this.chat ? '","message":{"role":"assistant","content":' : '","response":';
    this.textClose = this.chat ? '},"done":false}\n' : ',"done":false}\n';
    this.thinkingOpen = this.chat ? '","message":{"role":"assistant","content":"","thinking":' : '","response":"","thinking":';
    this.textCloseWithLogprobs = this.chat ? '},"done":false,"logprobs":' : ',"done":false,"logprobs":';
    this.keepAnswer = options.context !== undefined;
  }

  /** The final line of a generate stream with `context`: it leaves after what came before it. */
  ending(): Promise<string> | undefined {
    return this.final;
  }

  protected encode(event: ChatStreamEvent): string {
    switch (event.type) {
      case 'text-delta': {
        if (event.text.length === 0) return '';
        if (this.keepAnswer) this.answer += event.text;
        const close = event.logprobs === undefined ? this.textClose : this.textCloseWithLogprobs + JSON.stringify(toOllamaLogprobs(event.logprobs)) + '}\n';
        return this.head + ollamaNow() + this.textOpen + JSON.stringify(event.text) + close;
      }
      case 'reasoning-delta':
        if (event.text.length === 0) return '';
        return this.head + ollamaNow() + this.thinkingOpen + JSON.stringify(event.text) + this.textClose;
      case 'tool-call-start':
        this.pending = { name: event.name, arguments: '' };
        return '';
      case 'tool-call-delta':
        if (this.pending !== undefined) this.pending.arguments += event.argumentsDelta;
        return '';
      case 'tool-call-end': {
        if (this.pending === undefined) return '';
        const toolCall = toOllamaToolCall(ollamaToolCallId(), this.pending.name, this.pending.arguments, this.toolCallCount++);
        this.pending = undefined;
        return toolCallLine(this.head, this.chat, toolCall);
      }
      case 'file': {
        const text = ollamaFileMarkdown(event.url, event.mediaType, event.name);
        if (this.keepAnswer) this.answer += text;
        return this.head + ollamaNow() + this.textOpen + JSON.stringify(text) + this.textClose;
      }
      case 'finish':
        return this.finish(event);
      case 'error':
        this.ended = true;
        return ollamaErrorLine(event.error.message);
      default:
        return '';
    }
  }

  private finish(event: Extract<ChatStreamEvent, { type: 'finish' }>): string {
    this.ended = true;
    const final: Record<string, unknown> = { model: this.options.model, created_at: ollamaNow() };
    if (this.chat) final.message = { role: 'assistant', content: '' };
    else final.response = '';
    final.done = true;
    final.done_reason = ollamaDoneReason(event.finishReason);
    const context = this.options.context;
    if (context === undefined) return JSON.stringify(Object.assign(final, ollamaMetrics(event.usage, event.timing))) + '\n';
    // The answer's context takes a tokenizer pass: what came before it leaves first.
    this.final = context(this.answer).then(
      (tokens) => {
        final.context = tokens;
        return JSON.stringify(Object.assign(final, ollamaMetrics(event.usage, event.timing))) + '\n';
      },
      (error: unknown) => ollamaErrorLine(toGatewayError(error).message),
    );
    return '';
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
