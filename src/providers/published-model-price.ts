import { z } from 'zod';
import type { ModelPrice } from '../usage/model-price.ts';

/** A per-token price as model lists publish it: a decimal string (or number) of US dollars. */
const perToken = z.union([z.string(), z.number()]).nullish();

/**
 * The `pricing` object of an OpenRouter-style model list (OpenRouter, Poe's `/v1/models`,
 * Cerebras `?format=openrouter`): US dollars per token as decimal strings.
 */
export const publishedPricingSchema = z.looseObject({
  prompt: perToken,
  completion: perToken,
  input_cache_read: perToken,
  input_cache_write: perToken,
  internal_reasoning: perToken,
});

/** The published pricing as a price per million tokens; undefined when it has no usable prompt and completion price. */
export function publishedModelPrice(pricing: unknown): ModelPrice | undefined {
  const parsed = publishedPricingSchema.safeParse(pricing);
  if (!parsed.success) return undefined;
  const input = perMillion(parsed.data.prompt);
  const output = perMillion(parsed.data.completion);
  if (input === undefined || output === undefined) return undefined;
  const price: ModelPrice = { input, output };
  const cachedInput = perMillion(parsed.data.input_cache_read);
  if (cachedInput !== undefined) price.cachedInput = cachedInput;
  const cacheWrite = perMillion(parsed.data.input_cache_write);
  if (cacheWrite !== undefined) price.cacheWrite = cacheWrite;
  const reasoning = perMillion(parsed.data.internal_reasoning);
  if (reasoning !== undefined && reasoning > 0) price.reasoning = reasoning;
  return price;
}

function perMillion(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const number = Number(value);
  // OpenRouter marks "varies" with -1; that is no price.
  if (!Number.isFinite(number) || number < 0) return undefined;
  return Math.round(number * 1_000_000 * 1e9) / 1e9;
}
