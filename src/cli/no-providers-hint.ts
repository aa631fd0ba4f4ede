import type { LoadedGatewayConfig } from '../config/load-gateway-config.ts';

/** The one line printed when llmux has no provider to serve from, saying how to add one. */
export function noProvidersHint(loaded: LoadedGatewayConfig): string {
  const configured = loaded.config.providers.length + loaded.skippedProviders.length;
  if (configured > 0) {
    const where = loaded.source.kind === 'file' ? `, or edit ${loaded.source.path}` : '';
    return `no provider is available (see the warnings above); set the variables they need${where}`;
  }
  return "no providers configured; add one with CEREBRAS_API_KEY=… npm start (or POE_API_KEY, OPENAI_API_KEY, …), or write a config with 'npx llmux init'";
}
