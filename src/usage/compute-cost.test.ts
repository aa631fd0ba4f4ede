import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCost } from './compute-cost.ts';
import { PriceTable } from './price-table.ts';
import { gatewayConfigSchema } from '../config/gateway-config-schema.ts';
import { publishedModelPrice } from '../providers/published-model-price.ts';

describe('computeCost', () => {
  it('prices cache reads, cache writes and reasoning as the provider does, each part of its total once', () => {
    // Anthropic-like: 1000 prompt tokens of which 600 read from cache and 300 written to it.
    const usage = { input: { total: 1000, cacheRead: 600, cacheWrite: 300 }, output: { total: 500, reasoning: 200 }, source: 'upstream' as const };
    const price = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15, reasoning: 20 };
    // 100 × 3 + 600 × 0.3 + 300 × 3.75 + 300 × 15 + 200 × 20, per million
    assert.equal(computeCost(usage, price), (300 + 180 + 1125 + 4500 + 4000) / 1_000_000);
  });

  it('prices the writes the upstream says are kept for an hour at the one-hour price, the rest of the writes at the write price', () => {
    // 300 written: 200 for an hour, 100 for five minutes (Anthropic's cache_creation).
    const usage = { input: { total: 1000, cacheRead: 600, cacheWrite: 300, cacheWriteByTtl: { '5m': 100, '1h': 200 } }, output: { total: 10 }, source: 'upstream' as const };
    const price = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 };
    // 100 × 3 + 600 × 0.3 + 100 × 3.75 + 200 × 6 + 10 × 15, per million
    assert.equal(computeCost(usage, price), (300 + 180 + 375 + 1200 + 150) / 1_000_000);
    // No one-hour price: every write at the write price, as before; no breakdown: likewise.
    const { cacheWrite1h: _hour, ...fiveMinuteOnly } = price;
    assert.equal(computeCost(usage, fiveMinuteOnly), (300 + 180 + 1125 + 150) / 1_000_000);
    assert.equal(computeCost({ ...usage, input: { total: 1000, cacheRead: 600, cacheWrite: 300 } }, price), (300 + 180 + 1125 + 150) / 1_000_000);
  });

  it('charges the input price for cached tokens and the output price for reasoning when no other is given', () => {
    const usage = { input: { total: 100, cacheRead: 40 }, output: { total: 10, reasoning: 5 }, source: 'counted' as const };
    assert.equal(computeCost(usage, { input: 1, output: 2 }), (100 + 20) / 1_000_000);
  });
});

describe('PriceTable', () => {
  const table = new PriceTable({ 'poe/GPT-4o': { input: 9, output: 9 }, 'gpt-4.1': { input: 7, output: 7 } }, (provider, model) =>
    provider === 'router' && model === 'vendor/x' ? { input: 0.5, output: 1 } : undefined,
  );

  it('takes the config first (provider/model, then the model id), then the provider, then the built-in table', () => {
    assert.deepEqual(table.priceOf('poe', 'GPT-4o'), { price: { input: 9, output: 9 }, source: 'config' });
    assert.deepEqual(table.priceOf('openai', 'gpt-4.1'), { price: { input: 7, output: 7 }, source: 'config' });
    assert.deepEqual(table.priceOf('router', 'vendor/x'), { price: { input: 0.5, output: 1 }, source: 'provider' });
    assert.deepEqual(table.priceOf('openai', 'gpt-4o-2024-08-06'), { price: { input: 2.5, cachedInput: 1.25, output: 10 }, source: 'built-in' });
    assert.equal(table.priceOf('openai', 'gpt-4o-mini')?.price.input, 0.15, 'a longer known name is not its prefix');
    assert.equal(table.priceOf('anthropic', 'claude-sonnet-4-5-20250929')?.price.cacheWrite, 3.75);
    assert.equal(table.priceOf('anthropic', 'claude-sonnet-4-5-20250929')?.price.cacheWrite1h, 6);
    assert.equal(table.priceOf('x', 'gpt-4o-turbo-custom'), undefined);
    assert.equal(table.priceOf('x', 'unknown'), undefined);
  });

  it("takes a config price's one-hour cache write (cache_write_1h), as written under prices:", () => {
    const prices = gatewayConfigSchema.parse({ prices: { 'claude-x': { input: 3, cache_write: 3.75, cache_write_1h: 6, output: 15 } } }).prices;
    assert.deepEqual(new PriceTable(prices).priceOf('anthropic', 'claude-x')?.price, { input: 3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 });
    assert.equal(gatewayConfigSchema.safeParse({ prices: { m: { input: 1, output: 1, cache_write_1h: -1 } } }).success, false);
  });

  it('reads OpenRouter-style published prices (dollars per token as strings)', () => {
    assert.deepEqual(publishedModelPrice({ prompt: '0.0000025', completion: '0.00001', input_cache_read: '0.00000125', request: '0' }), { input: 2.5, output: 10, cachedInput: 1.25 });
    assert.equal(publishedModelPrice({ prompt: '-1', completion: '-1' }), undefined);
    assert.equal(publishedModelPrice({ prompt: '0.1' }), undefined);
    assert.equal(publishedModelPrice('free'), undefined);
  });
});
