import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../canonical/chat-request.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import { refuseForeignProviderFeatures } from './refuse-foreign-provider-features.ts';

const block = { type: 'provider-block', provider: 'anthropic', block: { type: 'web_search_tool_result' } } as const;
const anthropic = { id: 'claude', type: 'anthropic' };
const cerebras = { id: 'fast', type: 'cerebras' };

function request(fields: Partial<ChatRequest>): ChatRequest {
  return { model: 'm', stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], ...fields };
}

function refusal(run: () => void): GatewayError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('refuseForeignProviderFeatures', () => {
  it('lets plain requests and a provider its own features through', () => {
    refuseForeignProviderFeatures(request({}), cerebras);
    const own = request({
      providerTools: [{ provider: 'anthropic', type: 'web_search_20250305', name: 'web_search', index: 0, definition: {} }],
      messages: [{ role: 'assistant', parts: [block] }, { role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c', content: '', parts: [block] }] }],
    });
    refuseForeignProviderFeatures(own, anthropic);
  });

  it("refuses another provider type's server tool, block, or block inside a tool result, naming the provider", () => {
    const tool = refusal(() => refuseForeignProviderFeatures(request({ providerTools: [{ provider: 'anthropic', type: 'web_search_20250305', name: 'web_search', index: 2, definition: {} }] }), cerebras));
    assert.equal(tool.param, 'tools[2]');
    assert.equal(tool.code, 'unsupported_tool');
    assert.match(tool.message, /provider 'fast' \(type cerebras\) cannot/);
    for (const messages of [[{ role: 'assistant', parts: [block] }], [{ role: 'user', parts: [{ type: 'tool-result', toolCallId: 'c', content: '', parts: [{ type: 'text', text: 'a' }, block] }] }]] as ChatRequest['messages'][]) {
      const error = refusal(() => refuseForeignProviderFeatures(request({ messages }), cerebras));
      assert.equal(error.code, 'unsupported_content');
      assert.equal(error.status, 400);
      assert.match(error.message, /'web_search_tool_result' block is in the format of provider type anthropic.*provider 'fast' \(type cerebras\) cannot/);
    }
  });
});
