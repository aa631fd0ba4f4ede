import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import { anthropicServiceTier } from './anthropic-service-tier.ts';
import { convertChatResponseToAnthropic } from './convert-chat-response-to-anthropic.ts';

describe('anthropicServiceTier', () => {
  it("keeps Anthropic's own tiers, says OpenAI's default as standard, and leaves out tiers Anthropic has no word for", () => {
    assert.deepEqual(
      ['standard', 'priority', 'batch', 'default', 'flex', 'scale', 'auto', undefined].map(anthropicServiceTier),
      ['standard', 'priority', 'batch', 'standard', undefined, undefined, undefined, undefined],
    );
  });

  it("puts the tier last in a whole answer's usage, as Anthropic does", () => {
    const answer: ChatResponse = { id: 'msg_01', parts: [{ type: 'text', text: 'Hi' }], finishReason: 'stop', usage: { input: { total: 5 }, output: { total: 1 }, source: 'upstream' } };
    const usage = (serviceTier?: string): string => JSON.stringify(convertChatResponseToAnthropic(serviceTier === undefined ? answer : { ...answer, serviceTier }, 'claude-sonnet-4-6').usage);
    assert.equal(usage('standard'), '{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}');
    assert.equal(usage('default'), '{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}');
    assert.equal(usage('flex'), '{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}');
    assert.equal(usage(), '{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}');
  });
});
