import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import { publishedModelPrice } from '../published-model-price.ts';
import { openAICompatibleModelListSchema } from './openai-compatible-response-schemas.ts';

/** Timestamps past this are milliseconds (Poe's `created`), not seconds. */
const LATEST_SECONDS = 100_000_000_000;

/** `GET /models` body → ProviderModel[], reading the context length wherever a server puts it. */
export function convertOpenAICompatibleModels(payload: unknown): ProviderModel[] {
  const parsed = openAICompatibleModelListSchema.safeParse(payload);
  if (!parsed.success) throw new GatewayError('upstream', 'the upstream model list is not an OpenAI model list');
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.data;
  return entries.map((entry) => {
    const model: ProviderModel = { id: entry.id };
    if (typeof entry.created === 'number' && entry.created > 0) {
      model.created = entry.created > LATEST_SECONDS ? Math.floor(entry.created / 1000) : entry.created;
    }
    if (entry.owned_by) model.ownedBy = entry.owned_by;
    if (entry.description) model.description = entry.description;
    const contextLength = entry.context_length ?? entry.context_window ?? entry.max_model_len;
    if (typeof contextLength === 'number' && contextLength > 0) model.contextLength = contextLength;
    const price = publishedModelPrice(entry.pricing);
    if (price !== undefined) model.price = price;
    return model;
  });
}
