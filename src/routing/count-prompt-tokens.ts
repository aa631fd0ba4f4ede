import type { ChatRequest } from '../canonical/chat-request.ts';
import { toGatewayError } from '../canonical/gateway-error.ts';
import type { ChatDispatcher, DispatchContext } from './chat-dispatcher.ts';
import { loadPromptTokenCounter } from './prompt-token-counter.ts';

export interface PromptTokenCount {
  inputTokens: number;
  /** `upstream`: the provider counted (Anthropic count_tokens); `counted`: llmux's tokenizer did. */
  source: 'upstream' | 'counted';
}

/**
 * A prompt's token count for the model it routes to: the provider's own count where it has one,
 * otherwise (or when that count fails for a reason the request did not cause) llmux's tokenizer.
 * Never a 404 for a routable model.
 */
export async function countPromptTokens(dispatcher: ChatDispatcher, request: ChatRequest, context: DispatchContext): Promise<PromptTokenCount> {
  const model = await dispatcher.resolve(request.model, context);
  const target = model.targets[0];
  if (target !== undefined) {
    context.target = target;
    const count = target.provider.countTokens?.bind(target.provider);
    if (count !== undefined) {
      const startedAt = performance.now();
      try {
        return { inputTokens: await count({ ...request, model: target.upstreamModel }, context), source: 'upstream' };
      } catch (thrown) {
        const error = toGatewayError(thrown);
        if (!error.retryable) throw error;
        context.log.warn({ provider: target.provider.id, status: error.status }, `provider '${target.provider.id}' could not count tokens (${error.message}); counting with the tokenizer`);
      } finally {
        context.upstreamMs += performance.now() - startedAt;
      }
    }
  }
  const counter = await loadPromptTokenCounter();
  return { inputTokens: await counter(request.messages, request.tools, context.signal), source: 'counted' };
}
