import { GatewayError } from '../../canonical/gateway-error.ts';

/** How long a key the upstream refused (revoked, no credits, forbidden) is passed over. */
const REFUSED_KEY_REST_MS = 5 * 60_000;
/** How long a rate-limited key rests when the upstream did not say (retry-after). */
const RATE_LIMITED_KEY_REST_MS = 30_000;

/**
 * A provider's keys (`api_key` + `api_keys`), taken round-robin. A key the upstream refused
 * (401/402/403) or rate-limited (429) rests for a while so the next requests use the others;
 * when every key rests, rotation goes on as if none did rather than failing locally. A refusal
 * is made retryable while another key is healthy, so routing tries again — with the next key.
 */
export class ApiKeyPool {
  private readonly keys: readonly string[];
  private readonly restingUntil = new Map<string, number>();
  private readonly now: () => number;
  private position = 0;

  constructor(keys: readonly string[], now: () => number = Date.now) {
    this.keys = [...new Set(keys.map((key) => key.trim()).filter((key) => key.length > 0))];
    this.now = now;
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key for the next request; undefined when none is configured (local servers). */
  next(): string | undefined {
    const count = this.keys.length;
    if (count === 0) return undefined;
    const now = this.now();
    for (let tried = 0; tried < count; tried++) {
      const key = this.take();
      if ((this.restingUntil.get(key) ?? 0) <= now) return key;
    }
    return this.take();
  }

  /**
   * Runs one upstream call with the next key; a GatewayError it throws is reported against that
   * key (see reportFailure) and thrown on.
   */
  async withKey<T>(call: (key: string | undefined) => Promise<T>): Promise<T> {
    const key = this.next();
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
    if (error.kind === 'rate_limit') {
      this.restingUntil.set(key, this.now() + (error.retryAfterSeconds === undefined ? RATE_LIMITED_KEY_REST_MS : error.retryAfterSeconds * 1000));
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
