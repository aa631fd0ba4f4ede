import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';

describe('mapAnthropicUsage', () => {
  it("keeps the cache write by ttl from message_start's usage, in the upstream's order, when message_delta's has none", () => {
    const start = { input_tokens: 2, cache_creation_input_tokens: 900, cache_read_input_tokens: 40, cache_creation: { ephemeral_1h_input_tokens: 900, ephemeral_5m_input_tokens: 0 }, output_tokens: 1 };
    const end = { input_tokens: 2, cache_creation_input_tokens: 900, cache_read_input_tokens: 40, output_tokens: 12 };
    const usage = mapAnthropicUsage(start, end);
    assert.deepEqual(usage.input, { total: 942, cacheRead: 40, cacheWrite: 900, cacheWriteByTtl: { '1h': 900, '5m': 0 } });
    assert.deepEqual(Object.keys(usage.input.cacheWriteByTtl ?? {}), ['1h', '5m']);
    assert.equal(usage.output.total, 12);
  });

  it('has no breakdown where the upstream gave none, and reads only its token fields', () => {
    assert.equal(mapAnthropicUsage({ input_tokens: 3, cache_creation_input_tokens: 5 }, undefined).input.cacheWriteByTtl, undefined);
    assert.equal(mapAnthropicUsage({ input_tokens: 3, cache_creation: null }, undefined).input.cacheWriteByTtl, undefined);
    assert.deepEqual(mapAnthropicUsage({ input_tokens: 3, cache_creation: { ephemeral_5m_input_tokens: 4, note: 'x', other: 1 } }, undefined).input.cacheWriteByTtl, { '5m': 4 });
  });
});
