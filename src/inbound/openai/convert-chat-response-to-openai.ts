import { responseLogprobs, type ChatResponse } from '../../canonical/chat-response.ts';
import { fileAsMarkdown } from './file-as-markdown.ts';
import { newOpenAIId } from './new-openai-id.ts';
import { toOpenAIChatLogprobs, type OpenAIChatLogprobs } from './to-openai-logprobs.ts';
import { toOpenAIFinishReason, type OpenAIFinishReason } from './to-openai-finish-reason.ts';
import { toOpenAIUsage, type OpenAIUsage } from './to-openai-usage.ts';
import { openAIServiceTier } from './openai-service-tier.ts';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: 0;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: null;
      reasoning_content?: string;
      tool_calls?: OpenAIToolCall[];
    };
    logprobs: OpenAIChatLogprobs | null;
    finish_reason: OpenAIFinishReason;
  }[];
  usage: OpenAIUsage;
  /** The upstream's, where it named them (OpenAI and most OpenAI-compatible servers do). */
  service_tier?: string;
  system_fingerprint?: string;
}

/**
 * A whole canonical answer → OpenAI's `chat.completion`. `model` is the name the client asked
 * for, so clients see the model they chose rather than the upstream id behind an alias.
 */
export function convertChatResponseToOpenAI(response: ChatResponse, model: string): OpenAIChatCompletion {
  let text = '';
  let reasoning = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of response.parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
    else if (part.type === 'tool-call') toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
    else if (part.type === 'generated-file') text += (text.length === 0 ? '' : '\n\n') + fileAsMarkdown(part);
    // provider-block parts answer only Anthropic clients' server tools; chat completions have no shape for them.
  }
  const hasToolCalls = toolCalls.length > 0;
  const message: OpenAIChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    // OpenAI sends null content for a turn that only calls tools; clients test for it.
    content: text.length === 0 && hasToolCalls ? null : text,
    refusal: null,
  };
  if (reasoning.length > 0) message.reasoning_content = reasoning;
  if (hasToolCalls) message.tool_calls = toolCalls;
  const logprobs = responseLogprobs(response);
  const completion: OpenAIChatCompletion = {
    id: response.id ?? newOpenAIId('chatcmpl-'),
    object: 'chat.completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: logprobs === undefined ? null : toOpenAIChatLogprobs(logprobs), finish_reason: toOpenAIFinishReason(response.finishReason, hasToolCalls) }],
    usage: toOpenAIUsage(response.usage),
  };
  // After the usage, as OpenAI's answers have them.
  const tier = openAIServiceTier(response.serviceTier);
  if (tier !== undefined) completion.service_tier = tier;
  if (response.systemFingerprint !== undefined) completion.system_fingerprint = response.systemFingerprint;
  return completion;
}
