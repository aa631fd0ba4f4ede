/**
 * What the client asked of reasoning. `effort: 'none'` turns it off; `budgetTokens` comes from
 * Anthropic `thinking.budget_tokens`. Absent means the provider's default.
 */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'max';

export interface ReasoningOptions {
  effort?: ReasoningEffort;
  budgetTokens?: number;
  /** Whether and how to return a summary of the reasoning (OpenAI Responses `reasoning.summary`). */
  summary?: 'auto' | 'concise' | 'detailed';
}
