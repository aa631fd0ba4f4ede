import type { ModelPriceConfig } from '../config/gateway-config-schema.ts';
import { BUILT_IN_PRICES } from './built-in-prices.ts';
import type { ModelPrice } from './model-price.ts';

/** Where a price came from, most specific first. */
export type PriceSource = 'config' | 'provider' | 'built-in';

/** Looks up the price the provider publishes for one of its models (its model list), if any. */
export type PublishedPriceLookup = (providerId: string, model: string) => ModelPrice | undefined;

/**
 * The price of an upstream model: the config's `prices` (`<provider>/<model>`, then the bare
 * model id), else what the provider publishes in its model list, else the built-in table.
 */
export class PriceTable {
  private readonly overrides: ReadonlyMap<string, ModelPrice>;
  private readonly published: PublishedPriceLookup;
  private readonly builtIn = new Map<string, ModelPrice | undefined>();

  constructor(overrides: Readonly<Record<string, ModelPriceConfig>>, published: PublishedPriceLookup = () => undefined) {
    this.overrides = new Map(Object.entries(overrides).map(([name, price]) => [name, fromConfig(price)]));
    this.published = published;
  }

  priceOf(providerId: string, model: string): { price: ModelPrice; source: PriceSource } | undefined {
    if (this.overrides.size > 0) {
      const configured = this.overrides.get(`${providerId}/${model}`) ?? this.overrides.get(model);
      if (configured !== undefined) return { price: configured, source: 'config' };
    }
    const published = this.published(providerId, model);
    if (published !== undefined) return { price: published, source: 'provider' };
    const builtIn = this.builtInPrice(model);
    return builtIn === undefined ? undefined : { price: builtIn, source: 'built-in' };
  }

  private builtInPrice(model: string): ModelPrice | undefined {
    if (this.builtIn.has(model)) return this.builtIn.get(model);
    const id = model.toLowerCase().replace(/^.*\//, '');
    let best: string | undefined;
    for (const known of Object.keys(BUILT_IN_PRICES)) {
      const matches = id === known || (id.startsWith(known) && /^[-@:.]\d/.test(id.slice(known.length)));
      if (matches && (best === undefined || known.length > best.length)) best = known;
    }
    const price = best === undefined ? undefined : BUILT_IN_PRICES[best];
    this.builtIn.set(model, price);
    return price;
  }
}

function fromConfig(price: ModelPriceConfig): ModelPrice {
  const result: ModelPrice = { input: price.input, output: price.output };
  if (price.cached_input !== undefined) result.cachedInput = price.cached_input;
  if (price.cache_write !== undefined) result.cacheWrite = price.cache_write;
  if (price.cache_write_1h !== undefined) result.cacheWrite1h = price.cache_write_1h;
  if (price.reasoning !== undefined) result.reasoning = price.reasoning;
  return result;
}
