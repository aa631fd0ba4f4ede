import { responseLogprobs, type ChatResponse } from '../../canonical/chat-response.ts';
import { fileAsMarkdown } from './file-as-markdown.ts';
import { newOpenAIId } from './new-openai-id.ts';
import { toOpenAICompletionLogprobs, type OpenAICompletionLogprobs } from './to-openai-logprobs.ts';
import { toOpenAIFinishReason, type OpenAIFinishReason } from './to-openai-finish-reason.ts';
import { toOpenAIUsage, type OpenAIUsage } from './to-openai-usage.ts';
import { openAIServiceTier } from './openai-service-tier.ts';

export interface OpenAITextCompletion {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: { text: string; index: 0; logprobs: OpenAICompletionLogprobs | null; finish_reason: OpenAIFinishReason }[];
  usage: OpenAIUsage;
  /** The upstream's, where it named them. */
  service_tier?: string;
  system_fingerprint?: string;
}

/** A whole canonical answer → the legacy `text_completion` object. Reasoning has no place in it. */
export function convertChatResponseToOpenAICompletion(response: ChatResponse, model: string): OpenAITextCompletion {
  let text = '';
  for (const part of response.parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'generated-file') text += (text.length === 0 ? '' : '\n\n') + fileAsMarkdown(part);
  }
  const logprobs = responseLogprobs(response);
  const completion: OpenAITextCompletion = {
    id: newOpenAIId('cmpl-'),
    object: 'text_completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model,
    choices: [{ text, index: 0, logprobs: logprobs === undefined ? null : toOpenAICompletionLogprobs(logprobs), finish_reason: toOpenAIFinishReason(response.finishReason, false) }],
    usage: toOpenAIUsage(response.usage),
  };
  // After the usage, as OpenAI's answers have them.
  const tier = openAIServiceTier(response.serviceTier);
  if (tier !== undefined) completion.service_tier = tier;
  if (response.systemFingerprint !== undefined) completion.system_fingerprint = response.systemFingerprint;
  return completion;
}
