import { GatewayError } from '../../canonical/gateway-error.ts';
import type { KeyHeadroom } from './key-headroom.ts';
import type { RestingKey } from './resting-key.ts';
import { keyCooldownEvents } from '../../observability/key-cooldown-events.ts';

/** How long a key the upstream refused (revoked, no credits, forbidden) is passed over. */
const REFUSED_KEY_REST_MS = 5 * 60_000;
/** How long a rate-limited key rests when the upstream did not say (retry-after). */
const RATE_LIMITED_KEY_REST_MS = 30_000;

/**
 * What an upstream said is left of a key's budget (Cerebras `x-ratelimit-remaining-*` headers).
 * Reset times are epoch ms.
 */
export interface KeyBudget {
  tokensLeft?: number;
  tokensResetAt?: number;
  requestsLeft?: number;
  requestsResetAt?: number;
}

/**
 * A provider's keys (`api_key` + `api_keys`), taken round-robin. Where the upstream reports each
 * key's remaining budget, a request goes to the next key with enough tokens left for it (the
 * estimate is taken off at once, so concurrent requests spread), and a key with no requests left
 * rests until its reset. A key the upstream refused
 * (401/402/403) or rate-limited (429) rests for a while so the next requests use the others;
 * when every key rests, rotation goes on as if none did rather than failing locally. A refusal
 * is made retryable while another key is healthy, so routing tries again — with the next key.
 */
export class ApiKeyPool {
  private readonly keys: readonly string[];
  private readonly restingUntil = new Map<string, number>();
  private readonly restReason = new Map<string, RestingKey['reason']>();
  private readonly budgets = new Map<string, KeyBudget>();
  private readonly now: () => number;
  private readonly owner: string;
  private position = 0;

  /** `owner`: the provider id, for the cool-down count in /metrics. */
  constructor(keys: readonly string[], now: () => number = Date.now, owner = 'unknown') {
    this.owner = owner;
    this.keys = [...new Set(keys.map((key) => key.trim()).filter((key) => key.length > 0))];
    this.now = now;
  }

  get size(): number {
    return this.keys.length;
  }

  /**
   * The key for the next request; undefined when none is configured (local servers). `cost` is
   * the tokens the request will reserve: a key known to have fewer left is passed over while
   * another has enough.
   */
  next(cost = 0): string | undefined {
    const count = this.keys.length;
    if (count === 0) return undefined;
    const now = this.now();
    for (const needBudget of [true, false]) {
      for (let tried = 0; tried < count; tried++) {
        const key = this.take();
        if ((this.restingUntil.get(key) ?? 0) > now) continue;
        if (needBudget && this.tokensLeft(key, now) < cost) continue;
        const budget = this.budgets.get(key);
        if (budget?.tokensLeft !== undefined) budget.tokensLeft -= cost;
        return key;
      }
    }
    return this.take();
  }

  /** Records what the upstream reported left for `key`; a key with no requests left rests until their reset. */
  noteBudget(key: string | undefined, budget: KeyBudget): void {
    if (key === undefined) return;
    this.budgets.set(key, budget);
    if (budget.requestsLeft !== undefined && budget.requestsLeft <= 0 && budget.requestsResetAt !== undefined) {
      this.restingUntil.set(key, Math.max(this.restingUntil.get(key) ?? 0, budget.requestsResetAt));
      this.restReason.set(key, 'rate_limited');
    }
  }

  /** A key's place in the list (`#1`…), to name it in logs without showing it. */
  label(key: string | undefined): string | undefined {
    const index = key === undefined ? -1 : this.keys.indexOf(key);
    return index === -1 ? undefined : `#${index + 1}`;
  }

  /**
   * Runs one upstream call with the next key; a GatewayError it throws is reported against that
   * key (see reportFailure) and thrown on.
   */
  async withKey<T>(call: (key: string | undefined) => Promise<T>, cost = 0): Promise<T> {
    const key = this.next(cost);
    try {
      return await call(key);
    } catch (error) {
      throw error instanceof GatewayError ? this.reportFailure(key, error) : error;
    }
  }

  /**
   * Records how a request made with `key` failed, and returns the error to report: the same one,
   * or — for a refusal of this key while another key is healthy — a retryable copy of it.
   */
  reportFailure(key: string | undefined, error: GatewayError): GatewayError {
    if (key === undefined || this.keys.length < 2) return error;
    const refused = error.kind === 'authentication' || error.kind === 'payment_required' || error.kind === 'permission';
    // Platform load (Cerebras `queue_exceeded`, "high traffic") is no fault of the key: it stays in use.
    if (error.kind === 'rate_limit' && error.code === 'queue_exceeded') return error;
    if (error.kind === 'rate_limit') {
      this.restingUntil.set(key, this.now() + this.rateLimitRestMs(key, error));
      this.restReason.set(key, 'rate_limited');
      keyCooldownEvents.report(this.owner, 'rate_limit');
      return error;
    }
    if (!refused) return error;
    this.restingUntil.set(key, this.now() + REFUSED_KEY_REST_MS);
    this.restReason.set(key, 'refused');
    keyCooldownEvents.report(this.owner, 'refused');
    if (!this.hasHealthyKey() || error.retryable) return error;
    return new GatewayError(error.kind, `${error.message} (this key is set aside for a while; the provider's other keys stay in use)`, {
      status: error.status,
      retryable: true,
      code: error.code,
      param: error.param,
      upstreamStatus: error.upstreamStatus,
      cause: error,
    });
  }

  /** Keys resting now, named by position and last four characters (never the key itself). */
  resting(): RestingKey[] {
    const now = this.now();
    return this.keys.flatMap((key, index) => {
      const until = this.restingUntil.get(key) ?? 0;
      return until > now ? [{ key: keyLabel(key, index), until, reason: this.restReason.get(key) ?? 'refused' }] : [];
    });
  }

  /** The rate-limit budget each key's upstream last reported, where it did and it has not reset. */
  headroom(): KeyHeadroom[] {
    const now = this.now();
    return this.keys.flatMap((key, index) => {
      const budget = this.budgets.get(key);
      if (budget === undefined) return [];
      const view: KeyHeadroom = { key: keyLabel(key, index), position: index + 1 };
      if (budget.tokensLeft !== undefined && (budget.tokensResetAt === undefined || budget.tokensResetAt > now)) {
        view.tokensLeft = budget.tokensLeft;
        if (budget.tokensResetAt !== undefined) view.tokensResetAt = budget.tokensResetAt;
      }
      if (budget.requestsLeft !== undefined && (budget.requestsResetAt === undefined || budget.requestsResetAt > now)) {
        view.requestsLeft = budget.requestsLeft;
        if (budget.requestsResetAt !== undefined) view.requestsResetAt = budget.requestsResetAt;
      }
      return view.tokensLeft === undefined && view.requestsLeft === undefined ? [] : [view];
    });
  }

  /** `retry-after` when given, else until the reset the upstream reported for the exhausted budget. */
  private rateLimitRestMs(key: string, error: GatewayError): number {
    if (error.retryAfterSeconds !== undefined) return error.retryAfterSeconds * 1000;
    const budget = this.budgets.get(key);
    const resetAt = error.code === 'request_quota_exceeded' ? budget?.requestsResetAt : budget?.tokensResetAt;
    return resetAt === undefined ? RATE_LIMITED_KEY_REST_MS : Math.max(0, resetAt - this.now());
  }

  private tokensLeft(key: string, now: number): number {
    const budget = this.budgets.get(key);
    if (budget?.tokensLeft === undefined || (budget.tokensResetAt !== undefined && budget.tokensResetAt <= now)) return Number.POSITIVE_INFINITY;
    return budget.tokensLeft;
  }

  private take(): string {
    const key = this.keys[this.position] as string;
    this.position = (this.position + 1) % this.keys.length;
    return key;
  }

  private hasHealthyKey(): boolean {
    const now = this.now();
    return this.keys.some((key) => (this.restingUntil.get(key) ?? 0) <= now);
  }
}

/** `api_key` and `api_keys` of a provider's config, as one list. */
export function apiKeysFromConfig(config: { api_key?: string | undefined; api_keys?: string[] | undefined }): string[] {
  return [...(config.api_key === undefined ? [] : [config.api_key]), ...(config.api_keys ?? [])];
}

function keyLabel(key: string, index: number): string {
  return `#${index + 1} …${key.slice(-4)}`;
}
