import { totalTokens } from '../canonical/usage.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { AuthenticatedClient } from './client-key-authenticator.ts';

const WINDOW_MS = 60_000;

/** Requests and tokens counted in the current minute and the one before it. */
interface WindowCounter {
  windowStart: number;
  current: number;
  previous: number;
}

export type RateDecision = { allowed: true } | { allowed: false; limit: 'rpm' | 'tpm'; retryAfterSeconds: number };

/**
 * Per-key rpm/tpm limits in memory, with a sliding-window counter: the previous minute's count is
 * weighted by how much of it still overlaps the last 60 seconds. O(1) per request, no timers.
 * Tokens are recorded from each request's outcome when it is over (an aborted stream is charged
 * what it streamed), so a request is refused once the last minute's tokens reached the key's tpm.
 */
export class ClientRateLimiter {
  private readonly requests = new Map<string, WindowCounter>();
  private readonly tokens = new Map<string, WindowCounter>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Checks and, when allowed, counts one request. */
  admit(client: AuthenticatedClient): RateDecision {
    const now = this.now();
    if (client.tpm !== undefined) {
      const used = this.estimate(this.tokens, client.name, now);
      if (used >= client.tpm) return { allowed: false, limit: 'tpm', retryAfterSeconds: this.secondsToNextWindow(now, this.tokens, client.name) };
    }
    if (client.rpm !== undefined) {
      const used = this.estimate(this.requests, client.name, now);
      if (used + 1 > client.rpm) return { allowed: false, limit: 'rpm', retryAfterSeconds: this.secondsToNextWindow(now, this.requests, client.name) };
      this.add(this.requests, client.name, now, 1);
    }
    return { allowed: true };
  }

  /** Charges a finished request's tokens to its key (keys without a tpm are never checked). */
  recordOutcome(outcome: RequestOutcome): void {
    if (outcome.keyName === undefined || outcome.usage === undefined) return;
    this.recordTokens(outcome.keyName, totalTokens(outcome.usage));
  }

  recordTokens(keyName: string, tokens: number): void {
    if (tokens <= 0) return;
    this.add(this.tokens, keyName, this.now(), tokens);
  }

  private estimate(counters: Map<string, WindowCounter>, name: string, now: number): number {
    const counter = this.rolled(counters, name, now);
    const overlap = 1 - (now - counter.windowStart) / WINDOW_MS;
    return counter.current + counter.previous * overlap;
  }

  private add(counters: Map<string, WindowCounter>, name: string, now: number, amount: number): void {
    this.rolled(counters, name, now).current += amount;
  }

  private rolled(counters: Map<string, WindowCounter>, name: string, now: number): WindowCounter {
    const windowStart = now - (now % WINDOW_MS);
    let counter = counters.get(name);
    if (counter === undefined) {
      counter = { windowStart, current: 0, previous: 0 };
      counters.set(name, counter);
    } else if (counter.windowStart !== windowStart) {
      counter.previous = windowStart - counter.windowStart === WINDOW_MS ? counter.current : 0;
      counter.current = 0;
      counter.windowStart = windowStart;
    }
    return counter;
  }

  private secondsToNextWindow(now: number, counters: Map<string, WindowCounter>, name: string): number {
    const counter = this.rolled(counters, name, now);
    return Math.max(1, Math.ceil((counter.windowStart + WINDOW_MS - now) / 1000));
  }
}
