import type { ModelCapability } from '../canonical/model-info.ts';
import { findKnownModelFamily, type KnownModelFamily } from './known-model-families.ts';

/** What every route and `llmux models` say about one model. */
export interface ModelDescription {
  /** From the config, else the provider's list, else the known families; undefined when none says. */
  contextLength?: number;
  capabilities: ModelCapability[];
  /** Whether the capabilities come from the config or the provider (not a guess from the family). */
  capabilitiesDeclared: boolean;
  family?: KnownModelFamily;
}

/**
 * The one description of a model, so `/v1/models`, `/api/tags`, `/api/show` and `llmux models`
 * agree: declared facts first, then the known-families table; a model that neither embeds nor
 * makes images completes text (a configured `[tools, vision]` describes a chat model).
 */
export function describeModel(model: { upstreamModel: string; name: string; contextLength?: number | undefined; capabilities?: readonly ModelCapability[] | undefined }): ModelDescription {
  const family = findKnownModelFamily(model.upstreamModel) ?? findKnownModelFamily(model.name);
  const declared = model.capabilities;
  let capabilities = [...(declared ?? family?.capabilities ?? ['completion'])];
  if (!capabilities.includes('completion') && !capabilities.includes('embedding') && !capabilities.includes('image')) capabilities = ['completion', ...capabilities];
  const description: ModelDescription = { capabilities, capabilitiesDeclared: declared !== undefined };
  const contextLength = model.contextLength ?? family?.contextLength;
  if (contextLength !== undefined) description.contextLength = contextLength;
  if (family !== undefined) description.family = family;
  return description;
}
