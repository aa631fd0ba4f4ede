import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { applyOpenAISamplingFields, collectOpenAIUnmappedFields } from './convert-openai-sampling-fields.ts';
import { KNOWN_OPENAI_COMPLETION_FIELDS, type OpenAICompletionRequest } from './openai-completion-request-schema.ts';

/**
 * A legacy completion → a chat request with the prompt as one user message. What a chat model
 * cannot do faithfully (token prompts, several prompts, echoing the prompt, best_of) is refused
 * with a 400 rather than answered differently from what was asked; a `suffix` is carried for the
 * provider to honour or refuse.
 */
export function convertOpenAICompletionRequestToChatRequest(body: OpenAICompletionRequest): ChatRequest {
  const prompt = singlePrompt(body.prompt);
  if (body.echo === true) refuse('echo', 'echo is not supported; prepend the prompt to the answer yourself');
  if (body.best_of != null && body.best_of > 1) refuse('best_of', 'best_of above 1 is not supported');
  const request: ChatRequest = { model: body.model, messages: [{ role: 'user', parts: [{ type: 'text', text: prompt }] }], stream: body.stream ?? false };
  // Fill-in-the-middle goes to the provider, which refuses it where its API has no insertion point.
  if (body.suffix != null && body.suffix.length > 0) request.suffix = body.suffix;
  applyOpenAISamplingFields(body, request);
  if (body.logprobs != null && body.logprobs > 0) {
    request.logprobs = true;
    request.topLogprobs = body.logprobs;
  }
  collectOpenAIUnmappedFields(body, KNOWN_OPENAI_COMPLETION_FIELDS, request);
  return request;
}

function singlePrompt(prompt: OpenAICompletionRequest['prompt']): string {
  if (typeof prompt === 'string') return prompt;
  if (prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (prompt.some((item) => typeof item !== 'string')) refuse('prompt', 'token-id prompts are not supported; send the prompt as text');
  return refuse('prompt', `expected one prompt, received ${prompt.length}; send one request per prompt`);
}

function refuse(param: string, message: string): never {
  throw new GatewayError('invalid_request', `${param}: ${message}`, { param, code: 'unsupported_value' });
}
