import type { SpendBudget } from '../state/spend-budget.ts';

/** `25/month`, `$5/day`, `2.50 / day` → a budget; undefined when the text is not one. */
export function parseBudget(text: string): SpendBudget | undefined {
  const match = /^\s*\$?(\d+(?:\.\d+)?)\s*\/\s*(day|month)\s*$/.exec(text);
  if (match === null) return undefined;
  return { usd: Number(match[1]), period: match[2] === 'day' ? 'day' : 'month' };
}

export function formatBudget(budget: SpendBudget): string {
  return `$${budget.usd}/${budget.period}`;
}
