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
  /** The most output tokens one answer may have. */
  maxOutputTokens?: number;
  /** The provider says the model is deprecated (to be retired). */
  deprecated?: boolean;
  /** USD per million tokens, as the provider lists them. */
  pricing?: { input: number; output: number };
}
