import type { GatewayError } from '../../canonical/gateway-error.ts';

/** How long a key rests after the upstream refused it. */
const REJECTED_KEY_REST_MS = 5 * 60_000;
const RATE_LIMITED_KEY_REST_MS = 30_000;

/**
 * A provider's keys (`api_key` + `api_keys`), taken round-robin. A key the upstream refused
 * (401/402/403) or rate-limited (429) rests for a while, so the next requests use the others;
 * when every key is resting, rotation goes on as if none were, rather than failing locally.
 */
export class ApiKeyRotation {
  private readonly keys: readonly string[];
  private readonly restingUntil = new Map<string, number>();
  private readonly now: () => number;
  private position = 0;

  constructor(keys: readonly string[], now: () => number = Date.now) {
    this.keys = [...new Set(keys.filter((key) => key.length > 0))];
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
      const key = this.keys[this.position % count] as string;
      this.position = (this.position + 1) % count;
      const until = this.restingUntil.get(key);
      if (until === undefined || until <= now) return key;
    }
    const key = this.keys[this.position % count] as string;
    this.position = (this.position + 1) % count;
    return key;
  }

  /** Called with the error a request made with `key` got. */
  reportFailure(key: string | undefined, error: GatewayError): void {
    if (key === undefined || this.keys.length < 2) return;
    let restMs: number | undefined;
    if (error.kind === 'authentication' || error.kind === 'payment_required' || error.kind === 'permission') restMs = REJECTED_KEY_REST_MS;
    else if (error.kind === 'rate_limit') restMs = error.retryAfterSeconds === undefined ? RATE_LIMITED_KEY_REST_MS : error.retryAfterSeconds * 1000;
    if (restMs !== undefined && restMs > 0) this.restingUntil.set(key, this.now() + restMs);
  }
}
