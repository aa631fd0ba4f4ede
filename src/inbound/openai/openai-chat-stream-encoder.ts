import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { Usage } from '../../canonical/usage.ts';
import { EventByEventEncoder } from '../chat-stream-encoder.ts';
import { fileAsMarkdown } from './file-as-markdown.ts';
import { newOpenAIId } from './new-openai-id.ts';
import { openAIErrorBody } from './openai-error-response.ts';
import { toOpenAIChatLogprobs } from './to-openai-logprobs.ts';
import { toOpenAIFinishReason } from './to-openai-finish-reason.ts';
import { toOpenAIUsage } from './to-openai-usage.ts';
import { upstreamFields } from './upstream-chunk-fields.ts';

export interface OpenAIChatStreamOptions {
  /** The model name the client asked for; every chunk carries it. */
  model: string;
  /** `stream_options.include_usage`: send a `choices:[]` chunk with usage before `[DONE]`. */
  includeUsage: boolean;
}

/**
 * Canonical events → `chat.completion.chunk` server-sent events, as api.openai.com streams them
 * (openai-node ChatCompletionChunk): a first delta with the role, then `content`,
 * `reasoning_content` and tool-call deltas (the first one of each call with id, type, name and
 * empty arguments, then argument fragments — what the SDK's ChatCompletionStream assembles),
 * a chunk with `finish_reason`, the usage chunk when asked for, then `data: [DONE]`.
 * An error becomes `data: {"error":{…}}` and ends the stream; openai-node throws an APIError
 * for any chunk with an `error` key (src/core/streaming.ts).
 *
 * Every streamed token passes through here, so each chunk is one string concatenation around a
 * prefix and suffix built once.
 */
export class OpenAIChatStreamEncoder extends EventByEventEncoder {
  private readonly model: string;
  private readonly includeUsage: boolean;
  private id: string | undefined;
  private created: number | undefined;
  /** `,"service_tier":…,"system_fingerprint":…` as far as the upstream named them: after the model on every chunk, as OpenAI sends them. */
  private upstreamFields = '';
  /** `data: {"id":…,"object":…,"created":…,"model":…` and the upstream's fields */
  private head = '';
  /** `data: {…,"choices":[{"index":0,"delta":` */
  private prefix = '';
  /** `,"logprobs":null,"finish_reason":null}]…}\n\n` */
  private suffix = '';
  /** The same without the logprobs: `,"finish_reason":null}]…}\n\n` */
  private suffixTail = '';
  private readonly usageNull: string;
  private started = false;
  private wroteContent = false;
  /** How many tool calls have started: OpenAI numbers calls from 0 in the order they start. */
  private toolCalls = 0;

  constructor(options: OpenAIChatStreamOptions) {
    super();
    this.model = options.model;
    this.includeUsage = options.includeUsage;
    // With include_usage, OpenAI sends `"usage":null` on every chunk but the last.
    this.usageNull = options.includeUsage ? ',"usage":null' : '';
  }

  /** The SSE text for one event (possibly empty). */
  encode(event: ChatStreamEvent): string {
    if (this.ended) return '';
    switch (event.type) {
      case 'response-start':
        if (!this.started) {
          if (event.id !== undefined && event.id.length > 0) this.id = event.id;
          if (event.created !== undefined) this.created = event.created;
          this.upstreamFields = upstreamFields(event);
        }
        return this.start();
      case 'text-delta': {
        this.wroteContent = true;
        const suffix = event.logprobs === undefined ? this.suffix : ',"logprobs":' + JSON.stringify(toOpenAIChatLogprobs(event.logprobs)) + this.suffixTail;
        return this.start() + this.prefix + '{"content":' + JSON.stringify(event.text) + '}' + suffix;
      }
      case 'reasoning-delta':
        return this.start() + this.prefix + '{"reasoning_content":' + JSON.stringify(event.text) + '}' + this.suffix;
      case 'tool-call-start': {
        const index = this.toolCalls++;
        const call = '{"index":' + index + ',"id":' + JSON.stringify(event.toolCallId) + ',"type":"function","function":{"name":' + JSON.stringify(event.name) + ',"arguments":""}}';
        return this.start() + this.prefix + '{"tool_calls":[' + call + ']}' + this.suffix;
      }
      case 'tool-call-delta':
        // Blocks are sequential: arguments belong to the call started last.
        if (this.toolCalls === 0) return '';
        return this.prefix + '{"tool_calls":[{"index":' + (this.toolCalls - 1) + ',"function":{"arguments":' + JSON.stringify(event.argumentsDelta) + '}}]}' + this.suffix;
      case 'file': {
        const markdown = (this.wroteContent ? '\n\n' : '') + fileAsMarkdown(event);
        this.wroteContent = true;
        return this.start() + this.prefix + '{"content":' + JSON.stringify(markdown) + '}' + this.suffix;
      }
      case 'finish':
        return this.finish(toOpenAIFinishReason(event.finishReason, this.toolCalls > 0), event.usage);
      case 'error':
        this.ended = true;
        return 'data: ' + JSON.stringify(openAIErrorBody(event.error)) + '\n\n';
      default:
        return '';
    }
  }


  private start(): string {
    if (this.started) return '';
    this.started = true;
    const id = this.id ?? newOpenAIId('chatcmpl-');
    const created = this.created ?? Math.floor(Date.now() / 1000);
    this.head = 'data: {"id":' + JSON.stringify(id) + ',"object":"chat.completion.chunk","created":' + created + ',"model":' + JSON.stringify(this.model) + this.upstreamFields;
    this.prefix = this.head + ',"choices":[{"index":0,"delta":';
    this.suffixTail = ',"finish_reason":null}]' + this.usageNull + '}\n\n';
    this.suffix = ',"logprobs":null' + this.suffixTail;
    return this.prefix + '{"role":"assistant","content":""}' + this.suffix;
  }

  private finish(finishReason: string, usage: Usage | undefined): string {
    let text = this.start() + this.prefix + '{},"logprobs":null,"finish_reason":"' + finishReason + '"}]' + this.usageNull + '}\n\n';
    if (this.includeUsage) text += this.head + ',"choices":[],"usage":' + JSON.stringify(toOpenAIUsage(usage)) + '}\n\n';
    this.ended = true;
    return text + 'data: [DONE]\n\n';
  }
}
