import type { ProviderType } from '../config/gateway-config-schema.ts';
import { createCerebrasProvider } from './cerebras/create-cerebras-provider.ts';
import { createOpenAICompatibleProvider } from './openai-compatible/create-openai-compatible-provider.ts';
import { createPoeProvider } from './poe/create-poe-provider.ts';
import type { ProviderFactory } from './provider-adapter.ts';

/**
 * The only list of provider implementations: config `type` → factory. A type without an entry
 * is refused at startup with a clear message.
 */
export const PROVIDER_FACTORIES: Partial<Record<ProviderType, ProviderFactory>> = {
  'openai-compatible': createOpenAICompatibleProvider,
  cerebras: createCerebrasProvider,
  poe: createPoeProvider,
};
