import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError, toGatewayError } from '../../canonical/gateway-error.ts';
import { fileAsMarkdown } from './file-as-markdown.ts';
import { newOpenAIId } from './new-openai-id.ts';
import { openAIErrorBody } from './openai-error-response.ts';
import { toOpenAICompletionLogprobs } from './to-openai-logprobs.ts';
import { toOpenAIFinishReason } from './to-openai-finish-reason.ts';
import { toOpenAIUsage } from './to-openai-usage.ts';

/**
 * Canonical events → legacy `text_completion` chunks (openai-node src/resources/completions.ts):
 * `choices[0].text` per delta, a last choice chunk with `finish_reason`, the usage chunk
 * (`choices:[]`) when `stream_options.include_usage`, then `data: [DONE]`. Errors end the stream
 * with `data: {"error":{…}}` as chat streams do. Reasoning has no place in this format. One
 * string per batch: one write per upstream network chunk.
 */
export async function* encodeOpenAICompletionStream(
  batches: AsyncIterable<readonly ChatStreamEvent[]>,
  options: { model: string; includeUsage: boolean },
): AsyncGenerator<string> {
  const head = 'data: {"id":"' + newOpenAIId('cmpl-') + '","object":"text_completion","created":' + Math.floor(Date.now() / 1000) + ',"model":' + JSON.stringify(options.model);
  const prefix = head + ',"choices":[{"text":';
  const usageNull = options.includeUsage ? ',"usage":null' : '';
  const suffixTail = ',"finish_reason":null}]' + usageNull + '}\n\n';
  const suffix = ',"index":0,"logprobs":null' + suffixTail;
  let wroteText = false;
  /** Where the next token starts in the completion's text (legacy `text_offset`). */
  let offset = 0;
  try {
    for await (const batch of batches) {
      let out = '';
      for (const event of batch) {
        switch (event.type) {
          case 'text-delta': {
            wroteText = true;
            const logprobs = event.logprobs === undefined ? suffix : ',"index":0,"logprobs":' + JSON.stringify(toOpenAICompletionLogprobs(event.logprobs, offset)) + suffixTail;
            offset += event.text.length;
            out += prefix + JSON.stringify(event.text) + logprobs;
            break;
          }
          case 'file': {
            const text = (wroteText ? '\n\n' : '') + fileAsMarkdown(event);
            offset += text.length;
            out += prefix + JSON.stringify(text) + suffix;
            wroteText = true;
            break;
          }
          case 'finish': {
            const reason = toOpenAIFinishReason(event.finishReason, false);
            out += prefix + '"","index":0,"logprobs":null,"finish_reason":"' + reason + '"}]' + usageNull + '}\n\n';
            if (options.includeUsage) out += head + ',"choices":[],"usage":' + JSON.stringify(toOpenAIUsage(event.usage)) + '}\n\n';
            yield out + 'data: [DONE]\n\n';
            return;
          }
          case 'error':
            yield out + 'data: ' + JSON.stringify(openAIErrorBody(event.error)) + '\n\n';
            return;
          default:
            break;
        }
      }
      if (out.length > 0) yield out;
    }
  } catch (error) {
    yield 'data: ' + JSON.stringify(openAIErrorBody(toGatewayError(error))) + '\n\n';
    return;
  }
  yield 'data: ' + JSON.stringify(openAIErrorBody(new GatewayError('upstream', 'the upstream stream ended before the response was complete'))) + '\n\n';
}
