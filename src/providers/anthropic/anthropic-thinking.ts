import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ReasoningEffort } from '../../canonical/reasoning-options.ts';

/** Thinking budgets for a canonical effort, where the client named an effort and no budget. */
const BUDGET_BY_EFFORT: Record<Exclude<ReasoningEffort, 'none'>, number> = { minimal: 1024, low: 2048, medium: 8192, high: 16384, max: 32000 };
const MINIMUM_BUDGET = 1024;

export interface AnthropicThinkingSettings {
  thinking: Record<string, unknown>;
  maxTokens: number;
  /** `output_config.effort`, for adaptive thinking. */
  effort?: string;
}

/**
 * The request's `thinking`: an Anthropic client's own setting as it sent it; otherwise built from
 * the canonical reasoning (a budget, or an effort turned into one). The budget must stay below
 * `max_tokens`, so `max_tokens` grows by the budget when it would not: the client's limit was for
 * the answer, not for the thinking before it.
 */
export function anthropicThinking(request: ChatRequest, clientThinking: Record<string, unknown> | undefined, maxTokens: number): AnthropicThinkingSettings | undefined {
  const reasoning = request.reasoning;
  if (clientThinking !== undefined) {
    const budget = typeof clientThinking.budget_tokens === 'number' ? clientThinking.budget_tokens : undefined;
    const settings: AnthropicThinkingSettings = { thinking: clientThinking, maxTokens: budget !== undefined && budget >= maxTokens ? maxTokens + budget : maxTokens };
    if (clientThinking.type === 'adaptive' && reasoning?.effort !== undefined && reasoning.effort !== 'none') settings.effort = reasoning.effort === 'minimal' ? 'low' : reasoning.effort;
    return settings;
  }
  if (reasoning === undefined) return undefined;
  if (reasoning.effort === 'none') return { thinking: { type: 'disabled' }, maxTokens };
  const asked = reasoning.budgetTokens ?? (reasoning.effort === undefined ? undefined : BUDGET_BY_EFFORT[reasoning.effort]);
  if (asked === undefined) return undefined;
  const budget = Math.max(MINIMUM_BUDGET, asked);
  return { thinking: { type: 'enabled', budget_tokens: budget }, maxTokens: budget >= maxTokens ? maxTokens + budget : maxTokens };
}
