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
  /** The price the provider publishes in its model list, per million tokens (cache and reasoning prices where given). */
  price?: ModelPrice;
  /** The most output tokens one answer may have. */
  maxOutputTokens?: number;
  /** The provider says the model is deprecated (to be retired). */
  deprecated?: boolean;
  /** USD per million tokens, as the provider lists them. */
  pricing?: { input: number; output: number };
}
