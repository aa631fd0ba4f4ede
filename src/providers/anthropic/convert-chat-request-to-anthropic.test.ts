import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { convertChatRequestToAnthropic, DEFAULT_MAX_TOKENS } from './convert-chat-request-to-anthropic.ts';

const provider = { id: 'anthropic' };

describe('convertChatRequestToAnthropic', () => {
  it('turns an OpenAI-style conversation into the Messages API: system blocks, tool results in the next user turn', () => {
    const request: ChatRequest = {
      model: 'claude-sonnet-4-6',
      stream: false,
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Weather?' }, { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'unsigned, from another provider' },
            { type: 'reasoning', text: 'signed', metadata: { provider: 'anthropic', signature: 'sig' } },
            { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'call_2', name: 'get_weather', arguments: '' },
          ],
        },
        { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', content: 'Sunny' }] },
        { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_2', content: 'failed', isError: true }] },
      ],
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
      toolChoice: 'required',
      parallelToolCalls: false,
      seed: 3,
      user: 'u-1',
    };
    const { body, degraded } = convertChatRequestToAnthropic(request, provider);
    assert.deepEqual(body.system, [{ type: 'text', text: 'Be brief.' }]);
    assert.equal(body.max_tokens, DEFAULT_MAX_TOKENS);
    assert.deepEqual(body.messages[0]?.content[1], { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } });
    assert.deepEqual(body.messages[1]?.content, [
      { type: 'thinking', thinking: 'signed', signature: 'sig' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
    ]);
    assert.deepEqual(body.messages[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny' },
        { type: 'tool_result', tool_use_id: 'call_2', content: 'failed', is_error: true },
      ],
    });
    assert.deepEqual(body.tool_choice, { type: 'any', disable_parallel_tool_use: true });
    assert.deepEqual(body.metadata, { user_id: 'u-1' });
    assert.deepEqual(degraded.map((entry) => entry.field), ['seed']);
  });

  it('turns an effort into a thinking budget below max_tokens', () => {
    const { body } = convertChatRequestToAnthropic({ model: 'm', stream: true, maxTokens: 1000, messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }], reasoning: { effort: 'medium' } }, provider);
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 8192 });
    assert.equal(body.max_tokens, 9192);
    const off = convertChatRequestToAnthropic({ model: 'm', stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }], reasoning: { effort: 'none' } }, provider);
    assert.deepEqual(off.body.thinking, { type: 'disabled' });
  });

  it('passes the Messages API\'s own fields and declares the rest', () => {
    const { body, degraded } = convertChatRequestToAnthropic(
      { model: 'm', stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }], unmappedFields: { service_tier: 'auto', cache_control: ['system[0]'], chat_template_kwargs: {} } },
      provider,
    );
    assert.equal(body.service_tier, 'auto');
    assert.equal(body.cache_control, undefined);
    assert.deepEqual(degraded.map((entry) => entry.field), ['chat_template_kwargs']);
  });

  it('refuses fill-in-the-middle', () => {
    assert.throws(() => convertChatRequestToAnthropic({ model: 'm', stream: false, suffix: 'x', messages: [] }, provider), /suffix.*provider 'anthropic'/);
  });
});
