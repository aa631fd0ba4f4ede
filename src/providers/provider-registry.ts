import type { ProviderType } from '../config/gateway-config-schema.ts';
import type { ProviderFactory } from './provider-adapter.ts';

/**
 * The only list of provider implementations: config `type` → its factory, loaded when a config
 * first uses that type (an unused provider costs no memory or start-up time). A type without an
 * entry is skipped at startup with a clear message.
 */
export const PROVIDER_FACTORIES: Partial<Record<ProviderType, () => Promise<ProviderFactory>>> = {
  'openai-compatible': async () => (await import('./openai-compatible/create-openai-compatible-provider.ts')).createOpenAICompatibleProvider,
  cerebras: async () => (await import('./cerebras/create-cerebras-provider.ts')).createCerebrasProvider,
  poe: async () => (await import('./poe/create-poe-provider.ts')).createPoeProvider,
  anthropic: async () => (await import('./anthropic/create-anthropic-provider.ts')).createAnthropicProvider,
};
