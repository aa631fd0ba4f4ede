import type { LoadedGatewayConfig } from '../config/load-gateway-config.ts';
import { PROVIDER_FACTORIES } from '../providers/provider-registry.ts';
import { unbuiltProviders } from './unbuilt-providers.ts';
import { unsetKeyVariables } from './unset-key-variables.ts';

/**
 * The one line printed when llmux has no provider to serve from, saying how to add one. It names
 * only what would help: variables that are still unset, provider types this build has.
 */
export function noProvidersHint(loaded: LoadedGatewayConfig): string {
  const configured = loaded.config.providers.length + loaded.skippedProviders.length;
  if (configured === 0) {
    return "no providers configured; add one with CEREBRAS_API_KEY=… npm start (or POE_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY, …), or write a config with 'npx llmux init'";
  }
  const unsetVariables = loaded.skippedProviders.flatMap((skipped) => unsetKeyVariables(skipped) ?? []);
  const unbuilt = unbuiltProviders(loaded.config).length > 0;
  const builtTypes = Object.keys(PROVIDER_FACTORIES).join(', ');
  const remedies: string[] = [];
  if (unsetVariables.length > 0) remedies.push(`set ${unsetVariables.join(' or ')}`);
  if (loaded.skippedProviders.length > unsetVariables.length) remedies.push('fix what the warnings above name');
  if (loaded.source.kind === 'file') {
    remedies.push(unbuilt ? `edit ${loaded.source.path} to use a provider type this version has (${builtTypes})` : `edit ${loaded.source.path}`);
  } else if (unbuilt) {
    remedies.push(`set CEREBRAS_API_KEY, POE_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY instead (this version has the provider types ${builtTypes} only)`);
  }
  const last = remedies.pop();
  if (last === undefined) return 'no provider is available (see the lines above)';
  return `no provider is available (see the lines above); ${remedies.length === 0 ? last : `${remedies.join(', ')}, or ${last}`}`;
}
