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
  /** The price the provider publishes in its model list, per million tokens. */
  price?: ModelPrice;
}
