import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';

export interface MaxTokensLimits {
  /** `default_max_tokens`: the output limit sent when the client sets none. */
  defaultMaxTokens?: number | undefined;
  /** `max_tokens_cap`: the largest output limit sent; a larger client limit is cut and declared. */
  maxTokensCap?: number | undefined;
}

/** The request with the output limit a provider's config asks for; a client limit cut down is declared. */
export function limitMaxTokens(request: ChatRequest, limits: MaxTokensLimits, providerId: string, degraded: DegradedField[]): ChatRequest {
  const { defaultMaxTokens, maxTokensCap } = limits;
  if (request.maxTokens === undefined) {
    if (defaultMaxTokens === undefined) return request;
    return { ...request, maxTokens: maxTokensCap === undefined ? defaultMaxTokens : Math.min(defaultMaxTokens, maxTokensCap) };
  }
  if (maxTokensCap === undefined || request.maxTokens <= maxTokensCap) return request;
  degraded.push({ field: 'max_tokens', reason: `${request.maxTokens} capped at ${maxTokensCap} by provider '${providerId}' (max_tokens_cap)` });
  return { ...request, maxTokens: maxTokensCap };
}
