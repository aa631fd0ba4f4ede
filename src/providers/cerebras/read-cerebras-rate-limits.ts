import { headerValue, type UpstreamResponse } from '../shared/upstream-http-client.ts';
import type { KeyBudget } from '../shared/api-key-pool.ts';

/**
 * What Cerebras says is left of the key's budget. Every answer carries
 * `x-ratelimit-remaining-tokens-minute`, `x-ratelimit-remaining-requests-day` and their
 * `x-ratelimit-reset-*` (seconds, as floats) (https://inference-docs.cerebras.ai/support/rate-limits).
 * Undefined when none of them is there.
 */
export function readCerebrasRateLimits(headers: UpstreamResponse['headers'], now: number): KeyBudget | undefined {
  const number = (name: string): number | undefined => {
    const value = Number.parseFloat(headerValue(headers, name) ?? '');
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const budget: KeyBudget = {};
  const tokensLeft = number('x-ratelimit-remaining-tokens-minute');
  const tokensReset = number('x-ratelimit-reset-tokens-minute');
  const requestsLeft = number('x-ratelimit-remaining-requests-day');
  const requestsReset = number('x-ratelimit-reset-requests-day');
  if (tokensLeft !== undefined) budget.tokensLeft = tokensLeft;
  if (tokensReset !== undefined) budget.tokensResetAt = now + tokensReset * 1000;
  if (requestsLeft !== undefined) budget.requestsLeft = requestsLeft;
  if (requestsReset !== undefined) budget.requestsResetAt = now + requestsReset * 1000;
  return Object.keys(budget).length === 0 ? undefined : budget;
}
