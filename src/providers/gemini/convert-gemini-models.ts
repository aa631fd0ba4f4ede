import type { ModelCapability, ProviderModel } from '../../canonical/model-info.ts';
import type { GeminiModelList } from './gemini-response-schemas.ts';

type GeminiListedModel = NonNullable<GeminiModelList['models']>[number];

/**
 * One entry of Gemini's `GET /models` → a ProviderModel: the id without `models/`, the input
 * token limit as the context length, capabilities from `supportedGenerationMethods` (chat models
 * take tools and images; `thinking` where the entry says so), the display name as description.
 */
export function convertGeminiModel(model: GeminiListedModel): ProviderModel {
  const id = model.name.replace(/^models\//, '');
  const methods = model.supportedGenerationMethods ?? [];
  const capabilities: ModelCapability[] = [];
  if (methods.includes('generateContent')) {
    capabilities.push('completion');
    // Gemma models on the API take neither function declarations nor (older ones) images.
    if (!id.startsWith('gemma')) capabilities.push('tools', 'vision');
    if (model.thinking === true) capabilities.push('thinking');
    if (/image/.test(id)) capabilities.push('image');
  }
  if (methods.includes('embedContent')) capabilities.push('embedding');
  const out: ProviderModel = { id, ownedBy: 'google', capabilities };
  if (model.inputTokenLimit !== undefined) out.contextLength = model.inputTokenLimit;
  const description = [model.displayName, model.outputTokenLimit === undefined ? undefined : `up to ${model.outputTokenLimit} output tokens`].filter((part) => part !== undefined).join(', ');
  if (description !== '') out.description = description;
  return out;
}
