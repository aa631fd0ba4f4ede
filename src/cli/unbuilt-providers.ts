import type { GatewayConfig } from '../config/gateway-config-schema.ts';
import { PROVIDER_FACTORIES } from '../providers/provider-registry.ts';

/** A configured provider whose type the config accepts but this build has no implementation of. */
export interface UnbuiltProvider {
  id: string;
  type: string;
  reason: string;
}

/**
 * The configured providers buildGateway skips because their type is not built yet. It logs that
 * as JSON for machines; a person starting llmux needs the same fact as a plain line.
 */
export function unbuiltProviders(config: Pick<GatewayConfig, 'providers'>): UnbuiltProvider[] {
  return config.providers
    .filter((provider) => PROVIDER_FACTORIES[provider.type] === undefined)
    .map((provider) => ({ id: provider.id, type: provider.type, reason: `type '${provider.type}' is not built in this version yet` }));
}
