import type { OutcomeHub } from '../observability/outcome-hub.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';

/** One failed upstream attempt, as a provider's health shows it. */
export interface ProviderFailure {
  /** Epoch ms (when the request arrived). */
  at: number;
  model: string;
  status: number;
  errorKind?: string;
  requestId: string;
}

export interface ProviderHealth {
  provider: string;
  /** Attempts in the last hour, and of those the failed ones. */
  attemptsLastHour: number;
  failuresLastHour: number;
  /** Newest first. */
  recentFailures: ProviderFailure[];
  /** Epoch ms of the last successful attempt. */
  lastSuccessAt?: number;
}

const FAILURES_KEPT = 10;
const HOUR_MS = 3_600_000;

/** Each provider's recent attempts, from request outcomes: what failed lately, and how often. */
export class ProviderHealthTracker {
  private readonly attempts = new Map<string, { at: number; failed: boolean }[]>();
  private readonly failures = new Map<string, ProviderFailure[]>();
  private readonly lastSuccess = new Map<string, number>();
  private readonly now: () => number;

  constructor(outcomes: OutcomeHub, now: () => number = Date.now) {
    this.now = now;
    outcomes.subscribe((outcome) => this.observe(outcome));
  }

  observe(outcome: RequestOutcome): void {
    for (const attempt of outcome.attempts) {
      const failed = attempt.status !== 200;
      const list = this.attempts.get(attempt.provider) ?? [];
      list.push({ at: outcome.startedAt, failed });
      this.prune(list);
      this.attempts.set(attempt.provider, list);
      if (!failed) {
        this.lastSuccess.set(attempt.provider, outcome.startedAt);
        continue;
      }
      const failure: ProviderFailure = { at: outcome.startedAt, model: attempt.model, status: attempt.status, requestId: outcome.requestId };
      if (attempt.errorKind !== undefined) failure.errorKind = attempt.errorKind;
      const kept = this.failures.get(attempt.provider) ?? [];
      kept.unshift(failure);
      kept.length = Math.min(kept.length, FAILURES_KEPT);
      this.failures.set(attempt.provider, kept);
    }
  }

  health(provider: string): ProviderHealth {
    const list = this.attempts.get(provider) ?? [];
    this.prune(list);
    const health: ProviderHealth = {
      provider,
      attemptsLastHour: list.length,
      failuresLastHour: list.filter((attempt) => attempt.failed).length,
      recentFailures: [...(this.failures.get(provider) ?? [])],
    };
    const lastSuccessAt = this.lastSuccess.get(provider);
    if (lastSuccessAt !== undefined) health.lastSuccessAt = lastSuccessAt;
    return health;
  }

  private prune(list: { at: number }[]): void {
    const since = this.now() - HOUR_MS;
    while (list.length > 0 && (list[0]?.at ?? 0) < since) list.shift();
  }
}
