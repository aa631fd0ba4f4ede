import type { GatewayConfig } from './gateway-config-schema.ts';

/** Every key in the config (client keys, provider keys): what the log must never show. */
export function configuredSecrets(config: GatewayConfig): string[] {
  const secrets = config.keys.map((client) => client.key);
  for (const provider of config.providers) {
    if (provider.api_key !== undefined) secrets.push(provider.api_key);
    secrets.push(...(provider.api_keys ?? []));
  }
  return secrets;
}
