import type { ModelPrice } from '../usage/model-price.ts';

/** What llmux knows of a model: from config, the provider's own list, or known families. */
export type ModelCapability = 'completion' | 'tools' | 'vision' | 'embedding' | 'thinking' | 'insert' | 'image';

export interface ProviderModel {
  /** The upstream id, as the provider names it. */
  id: string;
  /** Unix seconds. */
  created?: number;
  ownedBy?: string;
  contextLength?: number;
  capabilities?: ModelCapability[];
  description?: string;
  /**
   * The price the provider publishes for the model, in US dollars per million tokens (cache and
   * reasoning prices where given): from its model list (OpenRouter-style `pricing`, Poe) or its
   * model details (Cerebras). The price table prefers the config's `prices` over it.
   */
  price?: ModelPrice;
  /** The most output tokens one answer may have. */
  maxOutputTokens?: number;
  /** The provider says the model is deprecated (to be retired). */
  deprecated?: boolean;
}
