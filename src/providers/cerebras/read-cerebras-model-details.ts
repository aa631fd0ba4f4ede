import { z } from 'zod';
import type { ModelCapability, ProviderModel } from '../../canonical/model-info.ts';

/**
 * `GET /v1/models/{id}` in the SDK's `PublicModel` shape (github:Cerebras/cerebras-cloud-sdk-node
 * src/resources/models.ts): `limits.max_context_length`, `limits.max_completion_tokens`,
 * `capabilities{tools, function_calling, vision, reasoning}`, `pricing{prompt, completion}` (USD
 * per token, as strings) and `deprecated`. Read leniently: whatever is missing stays unknown.
 */
const publicModelSchema = z.looseObject({
  id: z.string(),
  description: z.string().nullish(),
  deprecated: z.boolean().nullish(),
  limits: z.looseObject({ max_completion_tokens: z.number().nullish(), max_context_length: z.number().nullish() }).nullish(),
  capabilities: z
    .looseObject({
      function_calling: z.boolean().nullish(),
      tools: z.boolean().nullish(),
      vision: z.boolean().nullish(),
      reasoning: z.boolean().nullish(),
    })
    .nullish(),
  pricing: z.looseObject({ prompt: z.union([z.string(), z.number()]).nullish(), completion: z.union([z.string(), z.number()]).nullish() }).nullish(),
});

/** The listed model with the facts its detail adds; the model unchanged when the body is not a PublicModel. */
export function readCerebrasModelDetails(payload: unknown, model: ProviderModel): ProviderModel {
  const parsed = publicModelSchema.safeParse(payload);
  if (!parsed.success || parsed.data.id !== model.id) return model;
  const detail = parsed.data;
  const result: ProviderModel = { ...model };
  if (detail.description) result.description = detail.description;
  if (detail.deprecated === true) result.deprecated = true;
  const context = detail.limits?.max_context_length;
  if (typeof context === 'number' && context > 0) result.contextLength = context;
  const output = detail.limits?.max_completion_tokens;
  if (typeof output === 'number' && output > 0) result.maxOutputTokens = output;
  if (detail.capabilities != null) {
    const capabilities: ModelCapability[] = ['completion'];
    if (detail.capabilities.tools === true || detail.capabilities.function_calling === true) capabilities.push('tools');
    if (detail.capabilities.vision === true) capabilities.push('vision');
    if (detail.capabilities.reasoning === true) capabilities.push('thinking');
    result.capabilities = capabilities;
  }
  const input = Number(detail.pricing?.prompt);
  const outputPrice = Number(detail.pricing?.completion);
  if (detail.pricing != null && Number.isFinite(input) && Number.isFinite(outputPrice)) {
    result.price = { input: roundPrice(input * 1e6), output: roundPrice(outputPrice * 1e6) };
  }
  return result;
}

function roundPrice(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
