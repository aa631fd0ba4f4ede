import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toAnthropicDeltaUsage, toAnthropicUsage } from './to-anthropic-usage.ts';

describe('toAnthropicUsage', () => {
  const input = { total: 942, cacheRead: 40, cacheWrite: 900, cacheWriteByTtl: { '5m': 0, '1h': 900 } };

  it('writes the cache write by ttl between the cache reads and the output, as the API does', () => {
    assert.equal(
      JSON.stringify(toAnthropicUsage(input, 12, undefined, 'standard')),
      '{"input_tokens":2,"cache_creation_input_tokens":900,"cache_read_input_tokens":40,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":900},"output_tokens":12,"service_tier":"standard"}',
    );
  });

  it("leaves the breakdown out of message_delta's usage (MessageDeltaUsage has none), and out of any answer whose upstream gave none", () => {
    assert.equal(JSON.stringify(toAnthropicDeltaUsage(input, 12)), '{"input_tokens":2,"cache_creation_input_tokens":900,"cache_read_input_tokens":40,"output_tokens":12}');
    assert.equal(JSON.stringify(toAnthropicUsage({ total: 5, cacheWrite: 3 }, 1)), '{"input_tokens":2,"cache_creation_input_tokens":3,"cache_read_input_tokens":0,"output_tokens":1}');
  });
});
