import type { ResponseStart } from '../../canonical/chat-stream-event.ts';

/**
 * What an OpenAI-compatible answer or chunk says of what served it — `service_tier` and
 * `system_fingerprint` — copied onto `target` where it names them as non-empty strings (anything
 * else is no value: these are reported, never relied on).
 */
export function readUpstreamIdentity(payload: Record<string, unknown>, target: Pick<ResponseStart, 'serviceTier' | 'systemFingerprint'>): void {
  const tier = payload['service_tier'];
  if (typeof tier === 'string' && tier.length > 0) target.serviceTier = tier;
  const fingerprint = payload['system_fingerprint'];
  if (typeof fingerprint === 'string' && fingerprint.length > 0) target.systemFingerprint = fingerprint;
}
