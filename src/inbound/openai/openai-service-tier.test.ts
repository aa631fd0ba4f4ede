import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAIServiceTier } from './openai-service-tier.ts';
import { upstreamFields } from './upstream-chunk-fields.ts';

describe('openAIServiceTier', () => {
  it("says an Anthropic upstream's standard tier as OpenAI's default and every other tier as it came", () => {
    assert.deepEqual(
      ['standard', 'default', 'flex', 'scale', 'priority', 'batch', 'on_demand', undefined].map(openAIServiceTier),
      ['default', 'default', 'flex', 'scale', 'priority', 'batch', 'on_demand', undefined],
    );
  });

  it("is what a streamed chunk says after its model", () => {
    assert.equal(upstreamFields({ serviceTier: 'standard' }), ',"service_tier":"default"');
    assert.equal(upstreamFields({ serviceTier: 'priority', systemFingerprint: 'fp_1' }), ',"service_tier":"priority","system_fingerprint":"fp_1"');
    assert.equal(upstreamFields({}), '');
  });
});
