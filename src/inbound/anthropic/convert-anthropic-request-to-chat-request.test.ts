import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertAnthropicRequestToChatRequest } from './convert-anthropic-request-to-chat-request.ts';
import type { AnthropicMessagesRequest } from './anthropic-messages-request-schema.ts';

const plain: AnthropicMessagesRequest = { model: 'claude', max_tokens: 32, messages: [{ role: 'user', content: 'Say hello.' }] };

describe('convertAnthropicRequestToChatRequest', () => {
  it('gives a plain request no unmapped fields and no provider options', () => {
    const request = convertAnthropicRequestToChatRequest(plain, { 'content-type': 'application/json' });
    assert.deepEqual(request, { model: 'claude', messages: [{ role: 'user', parts: [{ type: 'text', text: 'Say hello.' }] }], stream: false, maxTokens: 32 });
    assert.equal('unmappedFields' in request, false);
    assert.equal('providerOptions' in request, false);
  });

  it('keeps unknown fields, service_tier, beta flags and thinking where each belongs', () => {
    const body = { ...plain, service_tier: 'auto', mystery: { a: 1 }, ignored: null, thinking: { type: 'enabled', budget_tokens: 2048 } } as AnthropicMessagesRequest;
    const request = convertAnthropicRequestToChatRequest(body, { 'anthropic-beta': ['a-1, b-2', ' ,c-3'] });
    assert.deepEqual(request.unmappedFields, { service_tier: 'auto', mystery: { a: 1 } });
    assert.deepEqual(request.providerOptions, { anthropic: { thinking: { type: 'enabled', budget_tokens: 2048 }, betas: ['a-1', 'b-2', 'c-3'] } });
    assert.deepEqual(request.reasoning, { budgetTokens: 2048, effort: 'low' });
  });

  it('sets no provider options for an empty beta header', () => {
    const request = convertAnthropicRequestToChatRequest(plain, { 'anthropic-beta': ' , ' });
    assert.equal(request.providerOptions, undefined);
  });
});
