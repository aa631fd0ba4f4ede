import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { TokenLogprob } from '../../canonical/logprobs.ts';
import { fileAsMarkdown } from './file-as-markdown.ts';
import { newOpenAIId } from './new-openai-id.ts';
import { toOpenAICompletionLogprobs, type OpenAICompletionLogprobs } from './to-openai-logprobs.ts';
import { toOpenAIFinishReason, type OpenAIFinishReason } from './to-openai-finish-reason.ts';
import { toOpenAIUsage, type OpenAIUsage } from './to-openai-usage.ts';

export interface OpenAITextCompletion {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: { text: string; index: 0; logprobs: OpenAICompletionLogprobs | null; finish_reason: OpenAIFinishReason }[];
  usage: OpenAIUsage;
}

/** A whole canonical answer → the legacy `text_completion` object. Reasoning has no place in it. */
export function convertChatResponseToOpenAICompletion(response: ChatResponse, model: string): OpenAITextCompletion {
  let text = '';
  const logprobs: TokenLogprob[] = [];
  let wantsLogprobs = false;
  for (const part of response.parts) {
    if (part.type === 'text') {
      text += part.text;
      if (part.logprobs !== undefined) {
        wantsLogprobs = true;
        logprobs.push(...part.logprobs);
      }
    } else if (part.type === 'generated-file') text += (text.length === 0 ? '' : '\n\n') + fileAsMarkdown(part);
  }
  return {
    id: newOpenAIId('cmpl-'),
    object: 'text_completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model,
    choices: [{ text, index: 0, logprobs: wantsLogprobs ? toOpenAICompletionLogprobs(logprobs) : null, finish_reason: toOpenAIFinishReason(response.finishReason, false) }],
    usage: toOpenAIUsage(response.usage),
  };
}
