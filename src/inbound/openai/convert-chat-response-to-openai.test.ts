import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import { convertChatResponseToOpenAI } from './convert-chat-response-to-openai.ts';

const base: ChatResponse = { parts: [], finishReason: 'stop' };

describe('convertChatResponseToOpenAI', () => {
  it('builds a chat.completion with the client model name, reasoning and full usage', () => {
    const completion = convertChatResponseToOpenAI(
      {
        ...base,
        id: 'chatcmpl-up',
        model: 'upstream-id',
        created: 1700000000,
        parts: [
          { type: 'reasoning', text: 'capital of France' },
          { type: 'text', text: 'Paris' },
        ],
        usage: { input: { total: 10, cacheRead: 4 }, output: { total: 5, reasoning: 3 }, source: 'upstream' },
      },
      'my-alias',
    );
    assert.deepEqual(completion, {
      id: 'chatcmpl-up',
      object: 'chat.completion',
      created: 1700000000,
      model: 'my-alias',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Paris', refusal: null, reasoning_content: 'capital of France' },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 3 },
      },
    });
  });

  it("gives the upstream's service_tier and system_fingerprint after the usage, as OpenAI does, and none it did not name", () => {
    const answer: ChatResponse = { ...base, id: 'c', created: 1, serviceTier: 'flex', systemFingerprint: 'fp_44709d6fcb', parts: [{ type: 'text', text: 'Hi' }] };
    const completion = convertChatResponseToOpenAI(answer, 'm');
    assert.deepEqual(Object.keys(completion), ['id', 'object', 'created', 'model', 'choices', 'usage', 'service_tier', 'system_fingerprint']);
    assert.equal(completion.service_tier, 'flex');
    assert.equal(completion.system_fingerprint, 'fp_44709d6fcb');
    const { systemFingerprint: _fingerprint, serviceTier: _tier, ...unnamed } = answer;
    assert.deepEqual(Object.keys(convertChatResponseToOpenAI(unnamed, 'm')), ['id', 'object', 'created', 'model', 'choices', 'usage']);
  });

  it('gives null content and finish_reason tool_calls for a tool-only turn', () => {
    const completion = convertChatResponseToOpenAI(
      { ...base, parts: [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' }], usage: { input: { total: 1 }, output: { total: 2 }, source: 'counted' } },
      'm',
    );
    const choice = completion.choices[0];
    assert.equal(choice?.message.content, null);
    assert.deepEqual(choice?.message.tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }]);
    assert.equal(choice?.finish_reason, 'tool_calls');
    assert.equal(choice?.message.reasoning_content, undefined);
    assert.match(completion.id, /^chatcmpl-[A-Za-z0-9]{20}$/);
    assert.deepEqual(completion.usage, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  });

  it('maps finish reasons and appends produced files as Markdown', () => {
    const completion = convertChatResponseToOpenAI(
      { ...base, finishReason: 'content-filter', parts: [{ type: 'text', text: 'Here' }, { type: 'generated-file', url: 'https://cdn.example/x.png', mediaType: 'image/png', name: 'x' }] },
      'm',
    );
    assert.equal(completion.choices[0]?.message.content, 'Here\n\n![x](https://cdn.example/x.png)');
    assert.equal(completion.choices[0]?.finish_reason, 'content_filter');
    assert.equal(convertChatResponseToOpenAI({ ...base, finishReason: 'length' }, 'm').choices[0]?.finish_reason, 'length');
    assert.equal(convertChatResponseToOpenAI({ ...base, finishReason: 'other' }, 'm').choices[0]?.finish_reason, 'stop');
  });

  it('returns token log probabilities in the chat shape when the answer has them', () => {
    const completion = convertChatResponseToOpenAI(
      { ...base, parts: [{ type: 'text', text: 'Hi', logprobs: [{ token: 'Hi', logprob: -0.25, bytes: [72, 105], top: [{ token: 'Hello', logprob: -1.5 }] }] }] },
      'm',
    );
    assert.deepEqual(completion.choices[0]?.logprobs, {
      content: [{ token: 'Hi', logprob: -0.25, bytes: [72, 105], top_logprobs: [{ token: 'Hello', logprob: -1.5, bytes: null }] }],
      refusal: null,
    });
  });
});
