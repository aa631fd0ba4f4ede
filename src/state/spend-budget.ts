/** A spending cap in US dollars per calendar period (UTC). */
export interface SpendBudget {
  usd: number;
  period: 'day' | 'month';
}
