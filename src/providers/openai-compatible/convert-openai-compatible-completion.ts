import type { TextPart } from '../../canonical/chat-message.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { contentText } from './content-text.ts';
import { mapOpenAICompatibleFinishReason } from './map-openai-compatible-finish-reason.ts';
import { mapOpenAICompatibleLogprobs } from './map-openai-compatible-logprobs.ts';
import { mapOpenAICompatibleUsage } from './map-openai-compatible-usage.ts';
import type { OpenAICompatibleDialect } from './openai-compatible-dialect.ts';
import { isPlainCompletion } from './is-plain-completion.ts';
import { openAICompatibleCompletionSchema, type OpenAICompatibleCompletion } from './openai-compatible-response-schemas.ts';
import { generateToolCallId } from './openai-compatible-tool-call-assembler.ts';
import { opensWithThinkTag, ThinkTagSplitter } from './think-tag-splitter.ts';
import { readUpstreamIdentity } from './read-upstream-identity.ts';

export type CompletionDialect = Pick<OpenAICompatibleDialect, 'splitThinkTags' | 'decodeExtra'>;

/** A non-stream chat-completions body (already parsed JSON) → ChatResponse; anything unreadable is an upstream error. */
export function convertOpenAICompatibleCompletion(payload: unknown, dialect: CompletionDialect): ChatResponse {
  let completion: OpenAICompatibleCompletion;
  if (isPlainCompletion(payload)) completion = payload;
  else {
    const parsed = openAICompatibleCompletionSchema.safeParse(payload);
    if (!parsed.success) throw new GatewayError('upstream', 'the upstream answered with a body that is not a chat completion');
    completion = parsed.data;
  }
  const choice = completion.choices.find((candidate) => (candidate.index ?? 0) === 0) ?? completion.choices[0];
  if (choice === undefined) throw new GatewayError('upstream', 'the upstream answered with no choices');
  const message = choice.message;
  const response: ChatResponse = { parts: [], finishReason: 'stop' };
  if (completion.id) response.id = completion.id;
  if (completion.model) response.model = completion.model;
  if (typeof completion.created === 'number') response.created = completion.created;
  readUpstreamIdentity(completion, response);
  let reasoning = message?.reasoning ?? message?.reasoning_content ?? '';
  let content = contentText(message?.content);
  if (dialect.splitThinkTags && opensWithThinkTag(content)) {
    const splitter = new ThinkTagSplitter();
    content = '';
    for (const segment of [...splitter.push(contentText(message?.content)), ...splitter.flush()]) {
      if (segment.kind === 'text') content += segment.text;
      else reasoning += segment.text;
    }
  }
  const text = content + (message?.refusal ?? '');
  if (reasoning.length > 0) response.parts.push({ type: 'reasoning', text: reasoning });
  if (text.length > 0) {
    const part: TextPart = { type: 'text', text };
    const logprobs = mapOpenAICompatibleLogprobs(choice.logprobs);
    if (logprobs !== undefined) part.logprobs = logprobs;
    response.parts.push(part);
  }
  let madeToolCalls = false;
  for (const call of message?.tool_calls ?? []) {
    madeToolCalls = true;
    response.parts.push({ type: 'tool-call', id: call.id || generateToolCallId(), name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' });
  }
  if (choice.finish_reason) {
    response.rawFinishReason = choice.finish_reason;
    response.finishReason = mapOpenAICompatibleFinishReason(choice.finish_reason, madeToolCalls);
    // vLLM names the stop string that matched; other servers say nothing, and nothing is guessed.
    if (choice.finish_reason === 'stop' && typeof choice.stop_reason === 'string') response.stopSequence = choice.stop_reason;
  } else if (madeToolCalls) {
    response.finishReason = 'tool-calls';
  }
  const usage = mapOpenAICompatibleUsage(completion.usage);
  if (usage !== undefined) response.usage = usage;
  const extras = dialect.decodeExtra(completion);
  if (extras?.usage !== undefined) response.usage = extras.usage;
  if (extras?.timing !== undefined) response.timing = extras.timing;
  return response;
}
