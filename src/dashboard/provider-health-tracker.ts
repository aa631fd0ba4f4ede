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
  /** Attempts in the last hour (to the minute: up to a minute more), and of those the failed ones. */
  attemptsLastHour: number;
  failuresLastHour: number;
  /** Newest first. */
  recentFailures: ProviderFailure[];
  /** Epoch ms of the last successful attempt. */
  lastSuccessAt?: number;
}

const FAILURES_KEPT = 10;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** An hour of minutes, and the minute the hour began in. */
const MINUTES_KEPT = HOUR_MS / MINUTE_MS + 1;

/** Each provider's recent attempts, from request outcomes: what failed lately, and how often. */
export class ProviderHealthTracker {
  private readonly attempts = new Map<string, MinuteCounts>();
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
      let counts = this.attempts.get(attempt.provider);
      if (counts === undefined) {
        counts = new MinuteCounts();
        this.attempts.set(attempt.provider, counts);
      }
      counts.add(outcome.startedAt, failed);
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
    const since = this.now() - HOUR_MS;
    const counts = this.attempts.get(provider);
    const health: ProviderHealth = {
      provider,
      attemptsLastHour: counts?.attemptsSince(since) ?? 0,
      failuresLastHour: counts?.failuresSince(since) ?? 0,
      recentFailures: [...(this.failures.get(provider) ?? [])],
    };
    const lastSuccessAt = this.lastSuccess.get(provider);
    if (lastSuccessAt !== undefined) health.lastSuccessAt = lastSuccessAt;
    return health;
  }
}

/**
 * A provider's attempts and failures by minute over the last hour, in a ring of minute slots: a
 * fixed few hundred bytes whatever the traffic, where a record per attempt kept for an hour
 * would be an object per request for the collector to carry (millions at a few thousand per second).
 */
class MinuteCounts {
  /** The minute (epoch ms / 60 000) each slot counts; -1 for none yet. */
  private readonly minutes = new Float64Array(MINUTES_KEPT).fill(-1);
  private readonly attempts = new Float64Array(MINUTES_KEPT);
  private readonly failures = new Float64Array(MINUTES_KEPT);

  add(at: number, failed: boolean): void {
    const minute = Math.floor(at / MINUTE_MS);
    const slot = minute % MINUTES_KEPT;
    const held = this.minutes[slot] as number;
    // A request that ran for over an hour ends long after its minute: newer counts are kept.
    if (held > minute) return;
    if (held !== minute) {
      this.minutes[slot] = minute;
      this.attempts[slot] = 0;
      this.failures[slot] = 0;
    }
    (this.attempts[slot] as number) += 1;
    if (failed) (this.failures[slot] as number) += 1;
  }

  /** Attempts from the minute `since` falls in on. */
  attemptsSince(since: number): number {
    return this.sumSince(this.attempts, since);
  }

  failuresSince(since: number): number {
    return this.sumSince(this.failures, since);
  }

  private sumSince(counts: Float64Array, since: number): number {
    const first = Math.floor(since / MINUTE_MS);
    let sum = 0;
    for (let slot = 0; slot < MINUTES_KEPT; slot++) if ((this.minutes[slot] as number) >= first) sum += counts[slot] as number;
    return sum;
  }
}
