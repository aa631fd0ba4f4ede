import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertOpenAIRequestToChatRequest } from './convert-openai-request-to-chat-request.ts';
import { openAIChatRequestSchema } from './openai-chat-request-schema.ts';
import { parseOpenAIRequestBody } from './parse-openai-request-body.ts';

function convert(body: Record<string, unknown>): ChatRequest {
  return convertOpenAIRequestToChatRequest(parseOpenAIRequestBody(openAIChatRequestSchema, body));
}

function refusal(body: Record<string, unknown>): GatewayError {
  try {
    convert(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('expected the request to be refused');
}

const user = { role: 'user', content: 'hi' };

describe('convertOpenAIRequestToChatRequest', () => {
  it('maps every field of a full request', () => {
    const request = convert({
      model: 'gpt-4o',
      stream: true,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'developer', content: [{ type: 'text', text: 'dev rules' }] },
        {
          role: 'user',
          name: 'ann',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://img.example/a.jpg' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'let me look',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'found' }] },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', description: 'search', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      max_tokens: 10,
      max_completion_tokens: 20,
      temperature: 0.5,
      top_p: 0.9,
      stop: 'END',
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.2,
      logit_bias: { '50256': -100 },
      logprobs: true,
      top_logprobs: 2,
      user: 'u-1',
      reasoning_effort: 'xhigh',
      n: 1,
      stream_options: { include_usage: true },
      metadata: { trace: 'yes' },
      top_k: 40,
      min_p: 0.05,
      repetition_penalty: 1.1,
      chat_template_kwargs: { enable_thinking: false },
    });
    assert.deepEqual(request, {
      model: 'gpt-4o',
      stream: true,
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'be brief' }] },
        { role: 'developer', parts: [{ type: 'text', text: 'dev rules' }] },
        {
          role: 'user',
          name: 'ann',
          parts: [
            { type: 'text', text: 'what is this?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'high' },
            { type: 'image', source: { kind: 'url', url: 'https://img.example/a.jpg' } },
            { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'a.pdf' },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'let me look' },
            { type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' },
          ],
        },
        { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', content: 'found' }] },
      ],
      tools: [{ name: 'lookup', description: 'search', parameters: { type: 'object' }, strict: true }],
      toolChoice: { name: 'lookup' },
      parallelToolCalls: false,
      responseFormat: { type: 'json-schema', schema: { type: 'object' }, name: 'answer', strict: true },
      maxTokens: 20,
      temperature: 0.5,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      logitBias: { '50256': -100 },
      logprobs: true,
      topLogprobs: 2,
      user: 'u-1',
      reasoning: { effort: 'max' },
      topK: 40,
      minP: 0.05,
      repeatPenalty: 1.1,
      unmappedFields: { metadata: { trace: 'yes' }, chat_template_kwargs: { enable_thinking: false } },
    });
  });

  it('treats null as not set and defaults stream to false', () => {
    const request = convert({ model: 'm', messages: [user], temperature: null, stop: null, tools: null, stream: null, reasoning: { effort: 'low' } });
    assert.deepEqual(request, { model: 'm', stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], reasoning: { effort: 'low' } });
  });

  it('maps tool_choice strings, response_format json_object and legacy functions', () => {
    assert.equal(convert({ model: 'm', messages: [user], tool_choice: 'required' }).toolChoice, 'required');
    assert.deepEqual(convert({ model: 'm', messages: [user], response_format: { type: 'json_object' } }).responseFormat, { type: 'json' });
    const legacy = convert({
      model: 'm',
      messages: [user, { role: 'assistant', function_call: { name: 'f', arguments: '{}' } }],
      functions: [{ name: 'f', parameters: { type: 'object' } }],
      function_call: { name: 'f' },
    });
    assert.deepEqual(legacy.tools, [{ name: 'f', parameters: { type: 'object' } }]);
    assert.deepEqual(legacy.toolChoice, { name: 'f' });
    assert.deepEqual(legacy.messages[1]?.parts, [{ type: 'tool-call', id: 'f', name: 'f', arguments: '{}' }]);
  });

  it('opens a literal extra_body object into the unmapped fields, never copying __proto__', () => {
    assert.deepEqual(convert({ model: 'm', messages: [user], extra_body: { parameters: { aspect: '1:1' } } }).unmappedFields, { parameters: { aspect: '1:1' } });
    const polluted = convert(JSON.parse('{"model":"m","messages":[{"role":"user","content":"hi"}],"__proto__":{"x":1},"extra_body":{"__proto__":{"y":2},"top":3}}') as Record<string, unknown>);
    assert.deepEqual(polluted.unmappedFields, { top: 3 });
    assert.equal(Object.getPrototypeOf(polluted.unmappedFields), Object.prototype);
  });

  it('takes provider_options as options keyed by provider type, and refuses a malformed one', () => {
    const request = convert({ model: 'm', messages: [user], provider_options: { poe: { parameters: { aspect: '1:1' } } } });
    assert.deepEqual(request.providerOptions, { poe: { parameters: { aspect: '1:1' } } });
    assert.equal(request.unmappedFields, undefined);
    assert.throws(() => convert({ model: 'm', messages: [user], provider_options: 'poe' }), /provider_options: expected an object keyed by provider type/);
    assert.throws(() => convert({ model: 'm', messages: [user], provider_options: { poe: 1 } }), /provider_options\.poe: expected an object/);
  });

  it('refuses n > 1, audio input and output, unknown tool names, and tool messages without an id', () => {
    assert.equal(refusal({ model: 'm', messages: [user], n: 2 }).param, 'n');
    const audio = refusal({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AA==', format: 'wav' } }] }] });
    assert.equal(audio.param, 'messages[0].content[0]');
    assert.match(audio.message, /input_audio/);
    assert.equal(refusal({ model: 'm', messages: [user], modalities: ['text', 'audio'] }).param, 'modalities');
    assert.equal(refusal({ model: 'm', messages: [user], tool_choice: { type: 'function', function: { name: 'nope' } } }).param, 'tool_choice.function.name');
    assert.equal(refusal({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }).param, 'messages[0].tool_call_id');
    assert.equal(refusal({ model: 'm', messages: [{ role: 'user' }] }).param, 'messages[0].content');
    assert.equal(refusal({ model: 'm', messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] }).param, 'messages[0].content[0].file.file_data');
    assert.equal(refusal({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }] }).param, 'messages[0].content[0].image_url.url');
    assert.equal(refusal({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,' } }] }] }).message, 'messages[0].content[0].image_url.url: the data: URL holds no data');
    const badEscape = refusal({ model: 'm', messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:text/plain,%E0%A4%A', filename: 'a.txt' } }] }] });
    assert.equal(badEscape.kind, 'invalid_request');
    assert.equal(badEscape.param, 'messages[0].content[0].file.file_data');
    assert.match(badEscape.message, /bad percent-encoding/);
  });

  it('recognises bare base64 images and non-base64 data URLs', () => {
    const request = convert({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: '/9j/4AAQ' } },
            { type: 'file', file: { file_data: 'data:text/plain,a%20b', filename: 'a.txt' } },
          ],
        },
      ],
    });
    assert.deepEqual(request.messages[0]?.parts, [
      { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' } },
      { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('a b').toString('base64') }, filename: 'a.txt' },
    ]);
  });
});
