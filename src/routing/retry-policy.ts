import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayError } from '../canonical/gateway-error.ts';

export interface RetryPolicy {
  /** Tries per target, the first included. */
  attempts: number;
  baseDelayMs: number;
  /** Longest wait before a retry; an upstream asking for longer moves on to the next target. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 2, baseDelayMs: 250, maxDelayMs: 4_000 };

/**
 * How long to wait before trying the same target again, or undefined to stop trying it:
 * only retryable errors (429, 5xx, timeouts, connection failures) are retried, with exponential
 * backoff and full jitter, honouring the upstream's retry-after when it is within reach.
 */
export function retryDelayMs(policy: RetryPolicy, error: GatewayError, attempt: number): number | undefined {
  if (!error.retryable || attempt + 1 >= policy.attempts) return undefined;
  if (error.retryAfterSeconds !== undefined) {
    const asked = error.retryAfterSeconds * 1000;
    return asked <= policy.maxDelayMs ? asked : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Waits, unless the client goes away first. */
export async function waitBeforeRetry(delayMs: number, signal: AbortSignal): Promise<void> {
  await sleep(delayMs, undefined, { signal }).catch(() => undefined);
}
