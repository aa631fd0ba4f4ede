import { GatewayError } from '../../canonical/gateway-error.ts';

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
  private readonly budgets = new Map<string, KeyBudget>();
  private readonly now: () => number;
  private position = 0;

  constructor(keys: readonly string[], now: () => number = Date.now) {
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
      return error;
    }
    if (!refused) return error;
    this.restingUntil.set(key, this.now() + REFUSED_KEY_REST_MS);
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
