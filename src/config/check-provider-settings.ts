import type { GatewayConfig, ProviderType } from './gateway-config-schema.ts';

/** Types whose upstream refuses every call without a key. */
const KEY_REQUIRED: ReadonlySet<ProviderType> = new Set(['cerebras', 'poe']);
/** Types with no public default address: the config must say where the server is. */
const BASE_URL_REQUIRED: ReadonlySet<ProviderType> = new Set(['openai-compatible']);

/**
 * What each provider type needs or cannot use, checked where the schema (which knows no type)
 * cannot: so `llmux check` and `serve` refuse such a config with a path, instead of a provider
 * failing as it is built. Providers skipped for an unset key variable are not judged.
 */
export function checkProviderSettings(config: Pick<GatewayConfig, 'providers'>, skipped: ReadonlySet<number> = new Set()): string[] {
  const problems: string[] = [];
  config.providers.forEach((provider, index) => {
    if (skipped.has(index)) return;
    const at = `providers[${index}]`;
    if (BASE_URL_REQUIRED.has(provider.type) && provider.base_url === undefined) {
      problems.push(`${at}.base_url: missing; type '${provider.type}' has no default address (e.g. base_url: http://127.0.0.1:8000/v1)`);
    }
    if (provider.api_key === '') problems.push(`${at}.api_key: must not be empty`);
    (provider.api_keys ?? []).forEach((key, position) => {
      if (key === '') problems.push(`${at}.api_keys[${position}]: must not be empty`);
    });
    if (KEY_REQUIRED.has(provider.type) && provider.api_key === undefined && (provider.api_keys ?? []).length === 0) {
      problems.push(`${at}.api_key: missing; type '${provider.type}' needs a key (api_key: \${VARIABLE}, or api_keys: [...])`);
    }
    if (provider.api_version !== undefined && provider.type !== 'gemini') {
      problems.push(`${at}.api_version: only type 'gemini' has an API version in its path; '${provider.type}' takes it in base_url`);
    }
    if (provider.protocol !== undefined && provider.type !== 'poe') {
      problems.push(`${at}.protocol: only type 'poe' has a protocol choice (this provider is type '${provider.type}')`);
    }
    if (provider.upload_url !== undefined && (provider.type !== 'poe' || provider.protocol !== 'bot')) {
      problems.push(`${at}.upload_url: used only by type 'poe' with protocol: bot`);
    }
  });
  return problems;
}
