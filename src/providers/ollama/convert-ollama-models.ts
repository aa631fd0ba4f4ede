import type { ModelCapability, ProviderModel } from '../../canonical/model-info.ts';
import type { OllamaShow } from './ollama-response-schemas.ts';

const CANONICAL_CAPABILITIES = new Set<ModelCapability>(['completion', 'tools', 'vision', 'embedding', 'thinking', 'insert', 'image']);

export interface OllamaListedModel {
  name: string;
  family?: string;
  parameterSize?: string;
  modifiedAt?: string;
  /** From `/api/show`, when it answered. */
  show?: OllamaShow;
  /** Newer Ollamas list capabilities in `/api/tags` too. */
  capabilities?: string[];
  contextLength?: number;
}

/**
 * One Ollama model as llmux lists it: real capabilities from `/api/show` (Ollama's own words,
 * `audio` left out as llmux has no audio), the context length from `model_info`'s
 * `<architecture>.context_length`, family and size as the description.
 */
export function convertOllamaModel(listed: OllamaListedModel): ProviderModel {
  const model: ProviderModel = { id: listed.name, ownedBy: 'ollama' };
  const modified = listed.modifiedAt === undefined ? NaN : Date.parse(listed.modifiedAt);
  if (!Number.isNaN(modified)) model.created = Math.floor(modified / 1000);
  const capabilities = listed.show?.capabilities ?? listed.capabilities;
  if (capabilities !== undefined && capabilities !== null) {
    model.capabilities = capabilities.filter((capability): capability is ModelCapability => CANONICAL_CAPABILITIES.has(capability as ModelCapability));
  }
  const contextLength = contextLengthOf(listed.show) ?? listed.contextLength;
  if (contextLength !== undefined) model.contextLength = contextLength;
  const family = listed.show?.details?.family ?? listed.family;
  const size = listed.show?.details?.parameter_size ?? listed.parameterSize;
  const description = [family, size].filter((part) => part !== undefined && part !== '').join(' ');
  if (description !== '') model.description = description;
  return model;
}

function contextLengthOf(show: OllamaShow | undefined): number | undefined {
  const info = show?.model_info;
  if (info === undefined || info === null) return show?.details?.context_length;
  const architecture = info['general.architecture'];
  const value = typeof architecture === 'string' ? info[`${architecture}.context_length`] : undefined;
  return typeof value === 'number' ? value : show?.details?.context_length;
}
