import type { FastifyBaseLogger } from 'fastify';
import { GatewayError } from '../canonical/gateway-error.ts';
import type { SpendBudget } from '../state/spend-budget.ts';
import type { UsageStore } from '../state/usage-store.ts';
import { formatBudget } from './parse-budget.ts';

/** The share of a budget at which a warning is logged (once per key and period). */
export const BUDGET_WARNING_SHARE = 0.8;

interface Spend {
  dayStart: number;
  day: number;
  monthStart: number;
  month: number;
}

/**
 * Spend per key and in total for the current UTC day and month, kept in memory (loaded from the
 * usage records at start, then added to as each record is made), so checking a budget costs a
 * map lookup. A request is refused once its key's budget, or the global one, is used up: a 429
 * that says whose budget, how much was spent and when it renews. The spend a request itself adds
 * is only known when it ends, so the request that crosses the line completes.
 */
export class BudgetGuard {
  private readonly global: SpendBudget | undefined;
  private readonly log: FastifyBaseLogger;
  private readonly now: () => number;
  private readonly byKey = new Map<string, Spend>();
  private readonly total: Spend;
  private readonly warned = new Set<string>();

  constructor(global: SpendBudget | undefined, log: FastifyBaseLogger, now: () => number = Date.now) {
    this.global = global;
    this.log = log;
    this.now = now;
    this.total = emptySpend(now());
  }

  /** Reads this day's and month's spend from the usage records. */
  async load(usage: Pick<UsageStore, 'spend' | 'spendByKey'>): Promise<void> {
    const now = this.now();
    const { dayStart, monthStart } = emptySpend(now);
    this.total.day = await usage.spend(dayStart);
    this.total.month = await usage.spend(monthStart);
    const [day, month] = [await usage.spendByKey(dayStart), await usage.spendByKey(monthStart)];
    for (const [name, spent] of month) this.spendOf(name, now).month = spent;
    for (const [name, spent] of day) this.spendOf(name, now).day = spent;
  }

  record(keyName: string | undefined, costUsd: number, budget: SpendBudget | undefined): void {
    if (costUsd <= 0) return;
    const now = this.now();
    roll(this.total, now);
    this.total.day += costUsd;
    this.total.month += costUsd;
    if (this.global !== undefined) this.warnNear('all keys', this.global, spentIn(this.total, this.global));
    if (keyName === undefined) return;
    const spend = this.spendOf(keyName, now);
    spend.day += costUsd;
    spend.month += costUsd;
    if (budget !== undefined) this.warnNear(`key '${keyName}'`, budget, spentIn(spend, budget));
  }

  /** Dollars a key spent in the period of a budget (for admin views). */
  spent(keyName: string | undefined, period: SpendBudget['period']): number {
    const now = this.now();
    const spend = keyName === undefined ? roll(this.total, now) : this.spendOf(keyName, now);
    return period === 'day' ? spend.day : spend.month;
  }

  /** The refusal for a request by this key, or undefined when it may go on. */
  check(keyName: string | undefined, budget: SpendBudget | undefined): GatewayError | undefined {
    const keyed = keyName !== undefined && budget !== undefined;
    // No budget applies (most requests, where none is set): no clock read on the request path.
    if (!keyed && this.global === undefined) return undefined;
    const now = this.now();
    if (keyed) {
      const spent = spentIn(this.spendOf(keyName, now), budget);
      if (spent >= budget.usd) return refusal(`key '${keyName}'`, budget, spent, now);
    }
    if (this.global !== undefined) {
      const spent = spentIn(roll(this.total, now), this.global);
      if (spent >= this.global.usd) return refusal('this gateway (all keys)', this.global, spent, now);
    }
    return undefined;
  }

  private spendOf(name: string, now: number): Spend {
    let spend = this.byKey.get(name);
    if (spend === undefined) {
      spend = emptySpend(now);
      this.byKey.set(name, spend);
    }
    return roll(spend, now);
  }

  private warnNear(whose: string, budget: SpendBudget, spent: number): void {
    if (spent < budget.usd * BUDGET_WARNING_SHARE) return;
    const start = budget.period === 'day' ? dayStartOf(this.now()) : monthStartOf(this.now());
    const mark = `${whose}@${start}@${spent >= budget.usd ? 'over' : 'near'}`;
    if (this.warned.has(mark)) return;
    this.warned.add(mark);
    const share = Math.round((spent / budget.usd) * 100);
    this.log.warn({ budget: formatBudget(budget), spentUsd: round(spent) }, `budget of ${whose}: ${share} % of ${formatBudget(budget)} spent ($${round(spent)})`);
  }
}

function refusal(whose: string, budget: SpendBudget, spent: number, now: number): GatewayError {
  const renews = budget.period === 'day' ? dayStartOf(now) + 86_400_000 : nextMonthStart(now);
  const message = `budget of ${formatBudget(budget)} for ${whose} is used up ($${round(spent)} spent); it renews at ${new Date(renews).toISOString()}`;
  // A 429 that clients must not retry (x-should-retry: false): waiting seconds will not help.
  return new GatewayError('payment_required', message, { status: 429, code: 'insufficient_quota', retryable: false, retryAfterSeconds: Math.ceil((renews - now) / 1000) });
}

function spentIn(spend: Spend, budget: SpendBudget): number {
  return budget.period === 'day' ? spend.day : spend.month;
}

function emptySpend(now: number): Spend {
  return { dayStart: dayStartOf(now), day: 0, monthStart: monthStartOf(now), month: 0 };
}

/** Starts a new day, and month, when one began (a month begins with a day: within the day, nothing to do). */
function roll(spend: Spend, now: number): Spend {
  if (now >= spend.dayStart && now < spend.dayStart + 86_400_000) return spend;
  const dayStart = dayStartOf(now);
  if (spend.dayStart !== dayStart) {
    spend.dayStart = dayStart;
    spend.day = 0;
  }
  const monthStart = monthStartOf(now);
  if (spend.monthStart !== monthStart) {
    spend.monthStart = monthStart;
    spend.month = 0;
  }
  return spend;
}

function dayStartOf(now: number): number {
  return now - (now % 86_400_000);
}

function monthStartOf(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function nextMonthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
