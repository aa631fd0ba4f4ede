/** Why a provider key was set aside for a while. */
export type KeyCooldownReason = 'rate_limit' | 'refused';

type KeyCooldownListener = (provider: string, reason: KeyCooldownReason) => void;

const listeners = new Set<KeyCooldownListener>();

/**
 * Process-wide notice of a provider key starting a cool-down (metrics count them). Key pools live
 * deep inside provider adapters, so they report here instead of being handed a metrics object.
 */
export const keyCooldownEvents = {
  subscribe(listener: KeyCooldownListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  report(provider: string, reason: KeyCooldownReason): void {
    for (const listener of listeners) listener(provider, reason);
  },
};
