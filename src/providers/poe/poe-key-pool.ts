import { GatewayError } from '../../canonical/gateway-error.ts';

/** How long a key Poe refused (revoked, out of points) is passed over while others remain. */
const COOLDOWN_MS = 60_000;

/**
 * The provider's Poe keys, handed out round-robin. A key Poe refused is cooled down for a while;
 * while another key is healthy, such a refusal is marked retryable so that routing tries again
 * (with the next key) — with a single key it is final, because trying again cannot succeed.
 */
export class PoeKeyPool {
  private readonly keys: readonly string[];
  private readonly cooledUntil = new Map<string, number>();
  private cursor = 0;

  constructor(keys: readonly string[]) {
    this.keys = keys;
  }

  get size(): number {
    return this.keys.length;
  }

  /** The next key to use; undefined when none is configured (Poe then answers 401). */
  next(): string | undefined {
    const count = this.keys.length;
    if (count === 0) return undefined;
    const now = Date.now();
    for (let tried = 0; tried < count; tried++) {
      const key = this.keys[this.cursor % count] as string;
      this.cursor = (this.cursor + 1) % count;
      if ((this.cooledUntil.get(key) ?? 0) <= now) return key;
    }
    // Every key is cooling down: use them anyway rather than refuse outright.
    const key = this.keys[this.cursor % count] as string;
    this.cursor = (this.cursor + 1) % count;
    return key;
  }

  /**
   * Records how a call with `key` failed and returns the error to report: a key-specific refusal
   * (401, 402, 403) cools the key down and becomes retryable when another key can be tried.
   */
  reportFailure(key: string | undefined, error: GatewayError): GatewayError {
    if (key === undefined) return error;
    const keySpecific = error.kind === 'authentication' || error.kind === 'payment_required' || error.kind === 'permission';
    if (!keySpecific) return error;
    this.cooledUntil.set(key, Date.now() + COOLDOWN_MS);
    if (!this.hasHealthyKey()) return error;
    return new GatewayError(error.kind, `${error.message} (this key is set aside for a while; the other Poe keys stay in use)`, {
      status: error.status,
      retryable: true,
      code: error.code,
      param: error.param,
      upstreamStatus: error.upstreamStatus,
      cause: error,
    });
  }

  private hasHealthyKey(): boolean {
    const now = Date.now();
    return this.keys.some((key) => (this.cooledUntil.get(key) ?? 0) <= now);
  }
}

/** `api_keys` plus `api_key`, without duplicates or blanks. */
export function poeKeysFromConfig(config: { api_key?: string | undefined; api_keys?: string[] | undefined }): string[] {
  const keys = [...(config.api_keys ?? []), ...(config.api_key === undefined ? [] : [config.api_key])];
  return [...new Set(keys.map((key) => key.trim()).filter((key) => key.length > 0))];
}
