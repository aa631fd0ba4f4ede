import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { EventByEventEncoder } from '../chat-stream-encoder.ts';
import { fileAsMarkdown } from './file-as-markdown.ts';
import { newOpenAIId } from './new-openai-id.ts';
import { openAIErrorBody } from './openai-error-response.ts';
import { toOpenAICompletionLogprobs } from './to-openai-logprobs.ts';
import { toOpenAIFinishReason } from './to-openai-finish-reason.ts';
import { toOpenAIUsage } from './to-openai-usage.ts';
import { upstreamFields } from './upstream-chunk-fields.ts';

/**
 * Canonical events → legacy `text_completion` chunks (openai-node src/resources/completions.ts):
 * `choices[0].text` per delta, a last choice chunk with `finish_reason`, the usage chunk
 * (`choices:[]`) when `stream_options.include_usage`, then `data: [DONE]`. Errors end the stream
 * with `data: {"error":{…}}` as chat streams do. Reasoning has no place in this format. One
 * string per batch: one write per upstream network chunk.
 */
export class OpenAICompletionStreamEncoder extends EventByEventEncoder {
  private readonly includeUsage: boolean;
  /** `data: {"id":…,"object":…,"created":…,"model":…` */
  private readonly plainHead: string;
  /** The same, with the upstream's `"service_tier"` and `"system_fingerprint"` where it named them. */
  private head: string;
  private prefix: string;
  private readonly usageNull: string;
  private readonly suffixTail: string;
  private readonly suffix: string;
  private wroteText = false;
  /** Where the next token starts in the completion's text (legacy `text_offset`). */
  private offset = 0;

  constructor(options: { model: string; includeUsage: boolean }) {
    super();
    this.includeUsage = options.includeUsage;
    this.plainHead = 'data: {"id":"' + newOpenAIId('cmpl-') + '","object":"text_completion","created":' + Math.floor(Date.now() / 1000) + ',"model":' + JSON.stringify(options.model);
    this.head = this.plainHead;
    this.prefix = this.head + ',"choices":[{"text":';
    this.usageNull = options.includeUsage ? ',"usage":null' : '';
    this.suffixTail = ',"finish_reason":null}]' + this.usageNull + '}\n\n';
    this.suffix = ',"index":0,"logprobs":null' + this.suffixTail;
  }

  protected encode(event: ChatStreamEvent): string {
    switch (event.type) {
      case 'response-start': {
        // Every chunk names them after the model, as OpenAI's do.
        if (!this.wroteText) {
          this.head = this.plainHead + upstreamFields(event);
          this.prefix = this.head + ',"choices":[{"text":';
        }
        return '';
      }
      case 'text-delta': {
        this.wroteText = true;
        const logprobs = event.logprobs === undefined ? this.suffix : ',"index":0,"logprobs":' + JSON.stringify(toOpenAICompletionLogprobs(event.logprobs, this.offset)) + this.suffixTail;
        this.offset += event.text.length;
        return this.prefix + JSON.stringify(event.text) + logprobs;
      }
      case 'file': {
        const text = (this.wroteText ? '\n\n' : '') + fileAsMarkdown(event);
        this.offset += text.length;
        this.wroteText = true;
        return this.prefix + JSON.stringify(text) + this.suffix;
      }
      case 'finish': {
        this.ended = true;
        const reason = toOpenAIFinishReason(event.finishReason, false);
        let out = this.prefix + '"","index":0,"logprobs":null,"finish_reason":"' + reason + '"}]' + this.usageNull + '}\n\n';
        if (this.includeUsage) out += this.head + ',"choices":[],"usage":' + JSON.stringify(toOpenAIUsage(event.usage)) + '}\n\n';
        return out + 'data: [DONE]\n\n';
      }
      case 'error':
        this.ended = true;
        return 'data: ' + JSON.stringify(openAIErrorBody(event.error)) + '\n\n';
      default:
        return '';
    }
  }
}
