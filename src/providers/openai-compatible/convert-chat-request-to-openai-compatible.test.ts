import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertChatRequestToOpenAICompatible } from './convert-chat-request-to-openai-compatible.ts';
import { resolveOpenAICompatibleDialect } from './openai-compatible-dialect.ts';

const generic = resolveOpenAICompatibleDialect({});

function request(fields: Partial<ChatRequest>): ChatRequest {
  return { model: 'm', messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false, ...fields };
}

describe('convertChatRequestToOpenAICompatible', () => {
  it('converts every sampling and control field', () => {
    const { body, degraded } = convertChatRequestToOpenAICompatible(
      request({
        stream: true,
        tools: [{ name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true }],
        toolChoice: { name: 'get_weather' },
        parallelToolCalls: false,
        responseFormat: { type: 'json-schema', name: 'weather', schema: { type: 'object' }, strict: true },
        reasoning: { effort: 'max' },
        maxTokens: 256,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        seed: 7,
        frequencyPenalty: 0.1,
        presencePenalty: 0.3,
        logitBias: { '50256': -100 },
        logprobs: true,
        topLogprobs: 2,
        user: 'user-1',
      }),
      generic,
    );
    assert.deepEqual(degraded, []);
    assert.deepEqual(body, {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'high',
      max_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      logit_bias: { '50256': -100 },
      logprobs: true,
      top_logprobs: 2,
      user: 'user-1',
    });
  });

  it('sends no stream fields for a non-stream request and string tool choices as they are', () => {
    const { body } = convertChatRequestToOpenAICompatible(request({ toolChoice: 'required', responseFormat: { type: 'json' } }), generic);
    assert.equal(body.stream, undefined);
    assert.equal(body.stream_options, undefined);
    assert.equal(body.tool_choice, 'required');
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.deepEqual(convertChatRequestToOpenAICompatible(request({ responseFormat: { type: 'text' } }), generic).body.response_format, { type: 'text' });
    assert.deepEqual(convertChatRequestToOpenAICompatible(request({ responseFormat: { type: 'json-schema', schema: {} } }), generic).body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'response', schema: {} },
    });
  });

  it('converts a whole conversation: roles, names, images, tool calls and results', () => {
    const { body, degraded } = convertChatRequestToOpenAICompatible(
      request({
        messages: [
          { role: 'system', parts: [{ type: 'text', text: 'Be ' }, { type: 'text', text: 'terse.' }] },
          { role: 'developer', parts: [{ type: 'text', text: 'Use tools.' }] },
          {
            role: 'user',
            name: 'alice',
            parts: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', source: { kind: 'url', url: 'https://example.test/cat.png' }, detail: 'low' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0=' } },
              { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'a.pdf' },
            ],
          },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'Need the weather.' },
              { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
              { type: 'tool-call', id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
            ],
          },
          {
            role: 'tool',
            parts: [
              { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', content: '18°C' },
              { type: 'tool-result', toolCallId: 'call_2', content: '24°C' },
            ],
          },
          { role: 'assistant', parts: [{ type: 'text', text: 'Paris 18°C, Rome 24°C.' }] },
        ],
      }),
      generic,
    );
    assert.deepEqual(degraded, []);
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be terse.' },
      { role: 'developer', content: 'Use tools.' },
      {
        role: 'user',
        name: 'alice',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.test/cat.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0=' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      { role: 'tool', tool_call_id: 'call_2', content: '24°C' },
      { role: 'assistant', content: 'Paris 18°C, Rome 24°C.' },
    ]);
  });

  it('sends tool results found in a user message first, then the rest of the message', () => {
    const { body } = convertChatRequestToOpenAICompatible(
      request({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'tool-result', toolCallId: 'call_9', content: 'done' },
              { type: 'text', text: 'Now summarise.' },
            ],
          },
        ],
      }),
      generic,
    );
    assert.deepEqual(body.messages, [
      { role: 'tool', tool_call_id: 'call_9', content: 'done' },
      { role: 'user', content: 'Now summarise.' },
    ]);
  });

  it('sends earlier reasoning back only where the dialect takes it', () => {
    const messages: ChatRequest['messages'] = [{ role: 'assistant', parts: [{ type: 'reasoning', text: 'Hmm.' }, { type: 'text', text: 'Yes.' }] }];
    assert.deepEqual(convertChatRequestToOpenAICompatible(request({ messages }), generic).body.messages, [{ role: 'assistant', content: 'Yes.' }]);
    const cerebrasLike = resolveOpenAICompatibleDialect({ historyReasoningField: 'reasoning' });
    assert.deepEqual(convertChatRequestToOpenAICompatible(request({ messages }), cerebrasLike).body.messages, [{ role: 'assistant', content: 'Yes.', reasoning: 'Hmm.' }]);
  });

  it('maps developer to system for dialects that need it and max tokens to the dialect field', () => {
    const dialect = resolveOpenAICompatibleDialect({ developerRole: 'system', maxTokensField: 'max_completion_tokens' });
    const { body } = convertChatRequestToOpenAICompatible(request({ messages: [{ role: 'developer', parts: [{ type: 'text', text: 'x' }] }], maxTokens: 9 }), dialect);
    assert.deepEqual(body.messages, [{ role: 'system', content: 'x' }]);
    assert.equal(body.max_completion_tokens, 9);
    assert.equal(body.max_tokens, undefined);
  });

  it('turns an Anthropic-style token budget into the nearest effort', () => {
    const effort = (budgetTokens: number): unknown => convertChatRequestToOpenAICompatible(request({ reasoning: { budgetTokens } }), generic).body.reasoning_effort;
    assert.equal(effort(0), 'none');
    assert.equal(effort(1024), 'low');
    assert.equal(effort(4096), 'medium');
    assert.equal(effort(32000), 'high');
  });

  it('declares what the upstream cannot take, refuses what would change the answer, and sends only known fields', () => {
    const dialect = resolveOpenAICompatibleDialect({ fileParts: false, reasoningEffort: () => undefined, acceptExtraField: (field) => field !== 'store' });
    const { body, degraded } = convertChatRequestToOpenAICompatible(
      request({
        messages: [
          { role: 'system', parts: [{ type: 'text', text: 'S' }] },
          { role: 'user', parts: [{ type: 'text', text: 'Read' }] },
          { role: 'assistant', parts: [{ type: 'image', source: { kind: 'url', url: 'https://example.test/y.png' } }] },
          { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'c', content: 'boom', isError: true }] },
        ],
        topK: 40,
        minP: 0.05,
        repeatPenalty: 1.1,
        contextLength: 8192,
        reasoning: { effort: 'low' },
        unmappedFields: { store: true, service_tier: 'flex', model: 'other', temperature: 2 },
      }),
      dialect,
    );
    assert.deepEqual(
      degraded.map((entry) => entry.field),
      ['messages', 'is_error', 'reasoning_effort', 'top_k', 'min_p', 'repetition_penalty', 'num_ctx', 'store', 'model'],
    );
    assert.equal(degraded[0]?.reason, 'messages[2]: image part in an assistant message dropped');
    assert.equal(body.service_tier, 'flex');
    assert.equal(body.store, undefined);
    assert.equal(body.model, 'm');
    assert.equal(body.temperature, 2);
    assert.equal(body.reasoning_effort, undefined);
    assert.deepEqual(body.messages[1], { role: 'user', content: 'Read' });

    const imageInSystem = request({ messages: [{ role: 'system', parts: [{ type: 'text', text: 'S' }, { type: 'image', source: { kind: 'url', url: 'https://example.test/x.png' } }] }] });
    assert.throws(() => convertChatRequestToOpenAICompatible(imageInSystem, dialect), /messages\[0\]: a system message can hold only text; send the image in a user message/);
    const fim = request({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'def f(' }] }], suffix: 'return x' });
    assert.throws(() => convertChatRequestToOpenAICompatible(fim, dialect, { id: 'up' }), /suffix \(fill-in-the-middle\) is not supported by provider 'up'/);
    const raw = request({ messages: [{ role: 'user', parts: [{ type: 'text', text: '<s>x' }] }], rawPrompt: true });
    assert.throws(() => convertChatRequestToOpenAICompatible(raw, dialect, { id: 'up' }), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'raw');
  });

  it('sends OpenAI fields and configured pass-through fields, declaring other unknown fields', () => {
    const generic = resolveOpenAICompatibleDialect({});
    const unmappedFields = { service_tier: 'flex', chat_template_kwargs: { enable_thinking: false }, guided_json: { type: 'object' } };
    const plain = convertChatRequestToOpenAICompatible(request({ unmappedFields }), generic);
    assert.equal(plain.body.service_tier, 'flex');
    assert.equal(plain.body.chat_template_kwargs, undefined);
    assert.deepEqual(
      plain.degraded.map((entry) => entry.field),
      ['chat_template_kwargs', 'guided_json'],
    );
    const passed = convertChatRequestToOpenAICompatible(request({ unmappedFields }), generic, { id: 'vllm', passThroughFields: new Set(['chat_template_kwargs']) });
    assert.deepEqual(passed.body.chat_template_kwargs, { enable_thinking: false });
    assert.deepEqual(
      passed.degraded.map((entry) => entry.field),
      ['guided_json'],
    );
  });

  it('refuses files it cannot send (a dropped file would change the answer), and sends extended sampling where allowed', () => {
    const fileUrl = request({ messages: [{ role: 'user', parts: [{ type: 'file', source: { kind: 'url', url: 'https://example.test/a.pdf' } }] }] });
    assert.throws(() => convertChatRequestToOpenAICompatible(fileUrl, resolveOpenAICompatibleDialect({})), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 400);
      assert.equal(error.message, "messages[0]: file 'file' must be sent inline (base64 data), not by URL");
      return true;
    });
    const pdf = request({ messages: [{ role: 'user', parts: [{ type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'a.pdf' }] }] });
    assert.throws(() => convertChatRequestToOpenAICompatible(pdf, resolveOpenAICompatibleDialect({ fileParts: false })), /file 'a\.pdf' cannot be sent: this provider takes no file inputs/);
    const dialect = resolveOpenAICompatibleDialect({ extendedSampling: true });
    const { body, degraded } = convertChatRequestToOpenAICompatible(request({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }], topK: 40, minP: 0.05, repeatPenalty: 1.1 }), dialect);
    assert.deepEqual(degraded, []);
    assert.equal(body.top_k, 40);
    assert.equal(body.min_p, 0.05);
    assert.equal(body.repetition_penalty, 1.1);
  });

  it('lets the dialect have the last word on the body', () => {
    const dialect = resolveOpenAICompatibleDialect({
      transformRequestBody: (body, canonical, degraded) => {
        degraded.push({ field: 'seed', reason: 'dropped' });
        return { ...body, route: canonical.model + '!' };
      },
    });
    const converted = convertChatRequestToOpenAICompatible(request({}), dialect);
    assert.equal(converted.body.route, 'm!');
    assert.deepEqual(converted.degraded, [{ field: 'seed', reason: 'dropped' }]);
  });

  it("sends the client's own plain turns when given them, as it would convert their canonical twins", () => {
    const plain = [
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: 'French.', name: 'ops' },
      { role: 'user', content: 'Salut ☕', name: 'ana' },
      { role: 'assistant', content: '' },
      { role: 'user', content: '' },
    ] as const;
    const canonical = request({
      stream: true,
      maxTokens: 9,
      messages: plain.map((message) => ({ role: message.role, parts: [{ type: 'text', text: message.content }], ...('name' in message ? { name: message.name } : {}) })),
    });
    for (const dialect of [generic, resolveOpenAICompatibleDialect({ developerRole: 'system', maxTokensField: 'max_completion_tokens' })]) {
      const converted = convertChatRequestToOpenAICompatible(canonical, dialect, {});
      const hinted = convertChatRequestToOpenAICompatible(canonical, dialect, {}, { openAIMessages: plain });
      assert.equal(JSON.stringify(hinted.body), JSON.stringify(converted.body));
      assert.deepEqual(hinted.degraded, converted.degraded);
    }
    const asSystem = convertChatRequestToOpenAICompatible(canonical, resolveOpenAICompatibleDialect({ developerRole: 'system' }), {}, { openAIMessages: plain });
    assert.deepEqual(asSystem.body.messages[1], { role: 'system', content: 'French.', name: 'ops' });
    assert.equal(plain[1].role, 'developer', "the client's message is left as it was");
    assert.equal(convertChatRequestToOpenAICompatible(canonical, generic, {}, { openAIMessages: plain }).body.messages, plain, 'sent as they are, not copied');
  });
});
