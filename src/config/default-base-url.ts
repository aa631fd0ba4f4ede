import type { ProviderType } from './gateway-config-schema.ts';

/**
 * Where a provider type's upstream is when its config gives no `base_url`. The adapters use the
 * same values, and the loop check (pointsAtOwnListen) needs them: an `ollama` provider with no
 * base_url is Ollama's port, which is also llmux's default listen port.
 */
export const DEFAULT_BASE_URLS: Partial<Record<ProviderType, string>> = {
  gemini: 'https://generativelanguage.googleapis.com',
  ollama: 'http://127.0.0.1:11434',
};

/** A provider's base URL: its own, else its type's default. */
export function effectiveBaseUrl(provider: { type: ProviderType; base_url?: string | undefined }): string | undefined {
  return provider.base_url ?? DEFAULT_BASE_URLS[provider.type];
}
