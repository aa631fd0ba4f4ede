import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { FAKE_ANTHROPIC_KEY, FakeAnthropicServer } from '../test-support/fake-anthropic-server.ts';
import { fakeThinkingSignature } from '../test-support/fake-anthropic-answer.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

// Provider type `anthropic` behind every client protocol: the openai SDK, ollama-js and the
// Anthropic SDK reach Claude models on the fake Anthropic server with tools, images, reasoning and
// usage intact; its errors (529, 429 with retry-after) are retried and mapped to each protocol.

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

let anthropic: FakeAnthropicServer;
let gateway: TestGateway;
let openai: OpenAI;

before(async () => {
  anthropic = await FakeAnthropicServer.start();
  anthropic.models(['claude-sonnet-4-6', 'claude-haiku-4-5-20251001']);
  gateway = await startTestGateway({ providers: [anthropic.providerConfig('anthropic', { betas: ['context-1m-2025-08-07'], anthropic_version: '2023-06-01' })] });
  openai = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.baseUrl}/v1`, maxRetries: 0 });
});
after(async () => {
  await gateway.close();
  await anthropic.close();
});
beforeEach(() => {
  anthropic.server.calls.splice(0);
  anthropic.fail(200, '', '', {}, 0);
});

const lastMessageRequest = () => anthropic.calls('/v1/messages').at(-1);

describe('the openai SDK to Claude', () => {
  it('sends tools, an image and reasoning; gets text, reasoning, a tool call and usage with cache reads', async () => {
    anthropic.queue({ blocks: [{ type: 'thinking', thinking: 'Look at the picture.' }, { type: 'text', text: 'A pixel.' }, { type: 'tool_use', id: 'toolu_01W', name: 'get_weather', input: { city: 'Paris' } }], usage: { input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 0 } });
    const completion = await openai.chat.completions.create({
      model: 'claude-sonnet-4-6',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }] },
      ],
      tools,
      reasoning_effort: 'low',
      max_tokens: 4000,
    });
    const message = completion.choices[0]?.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    assert.equal(message.content, 'A pixel.');
    assert.equal(message.reasoning_content, 'Look at the picture.');
    assert.equal(message.tool_calls?.[0]?.type === 'function' ? message.tool_calls[0].function.arguments : '', '{"city":"Paris"}');
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(completion.usage?.prompt_tokens, 100);
    assert.equal(completion.usage?.prompt_tokens_details?.cached_tokens, 90);
    // Claude's usage.service_tier 'standard', in OpenAI's word.
    assert.equal(completion.service_tier, 'default');
    const call = lastMessageRequest();
    assert.equal(call?.headers['x-api-key'], FAKE_ANTHROPIC_KEY);
    assert.equal(call?.headers['anthropic-version'], '2023-06-01');
    assert.equal(call?.headers['anthropic-beta'], 'context-1m-2025-08-07');
    const sent = call?.json as { system: unknown; messages: { content: unknown[] }[]; thinking: unknown; tools: unknown[]; max_tokens: number };
    assert.deepEqual(sent.system, [{ type: 'text', text: 'Be brief.' }]);
    assert.deepEqual(sent.messages[0]?.content[1], { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } });
    assert.deepEqual(sent.thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.deepEqual(sent.tools, [{ name: 'get_weather', input_schema: tools[0]?.function.parameters, description: 'Weather for a city' }]);
  });

  it('streams thinking and a tool call with arguments in pieces', async () => {
    anthropic.queue({ blocks: [{ type: 'thinking', thinking: 'Weather tool.' }, { type: 'tool_use', id: 'toolu_01S', name: 'get_weather', input: { city: 'Zürich' } }] });
    const stream = await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Weather?' }], tools, stream: true, stream_options: { include_usage: true } });
    let reasoning = '';
    let args = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    const tiers = new Set<unknown>();
    for await (const chunk of stream) {
      tiers.add(chunk.service_tier);
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; tool_calls?: { function?: { arguments?: string } }[] } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      args += delta?.tool_calls?.[0]?.function?.arguments ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(reasoning, 'Weather tool.');
    assert.deepEqual(JSON.parse(args), { city: 'Zürich' });
    assert.ok((usage?.completion_tokens ?? 0) > 0 && (usage?.prompt_tokens ?? 0) > 0);
    assert.deepEqual([...tiers], ['default']);
  });

  it('a 529 is retried; one that stays is a 502 for OpenAI clients and a 529 overloaded_error for Anthropic ones', async () => {
    anthropic.fail(529, 'overloaded_error', 'Overloaded', {}, 1);
    anthropic.queue({ blocks: [{ type: 'text', text: 'Made it.' }] });
    const retried = await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(retried.choices[0]?.message.content, 'Made it.');
    assert.equal(anthropic.calls('/v1/messages').length, 2);

    anthropic.fail(529, 'overloaded_error', 'Overloaded');
    await assert.rejects(openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 502);
    const client = new Anthropic({ apiKey: 'unused', baseURL: gateway.baseUrl, maxRetries: 0 });
    await assert.rejects(client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.APIError);
      assert.equal(error.status, 529);
      assert.equal(error.type, 'overloaded_error');
      return true;
    });
  });

  it('a 429 with retry-after is retried after the wait and passed on with retry-after when it stays', async () => {
    anthropic.fail(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '0' }, 1);
    anthropic.queue({ blocks: [{ type: 'text', text: 'After the wait.' }] });
    const retried = await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(retried.choices[0]?.message.content, 'After the wait.');
    anthropic.fail(429, 'rate_limit_error', 'Slow down', { 'retry-after': '0' });
    const response = await fetch(`${gateway.baseUrl}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }) });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '0');
    assert.deepEqual(((await response.json()) as { error: { type: string } }).error.type, 'rate_limit_error');
  });
});

describe('thinking signatures across turns for a client that cannot carry them', () => {
  it('the openai SDK\'s next turn reaches Claude with the signed thinking before the tool call', async () => {
    anthropic.queue({ blocks: [{ type: 'thinking', thinking: 'I need the weather tool for Lima.' }, { type: 'tool_use', id: 'toolu_01Lima', name: 'get_weather', input: { city: 'Lima' } }] }, { blocks: [{ type: 'text', text: 'Warm in Lima.' }] });
    const first = await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Lima?' }], tools, reasoning_effort: 'low' });
    const assistant = first.choices[0]?.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    const second = await openai.chat.completions.create({
      model: 'claude-sonnet-4-6',
      tools,
      reasoning_effort: 'low',
      messages: [
        { role: 'user', content: 'Lima?' },
        { role: 'assistant', content: assistant.content, tool_calls: assistant.tool_calls },
        { role: 'tool', tool_call_id: 'toolu_01Lima', content: 'Warm' },
      ],
    });
    assert.equal(second.choices[0]?.message.content, 'Warm in Lima.');
    const sent = lastMessageRequest()?.json as { messages: { role: string; content: { type: string; signature?: string }[] }[] };
    assert.deepEqual(sent.messages[1]?.content[0], { type: 'thinking', thinking: 'I need the weather tool for Lima.', signature: fakeThinkingSignature('I need the weather tool for Lima.') });
  });
});

describe('the Responses API to Claude', () => {
  it('streams reasoning and a function call; the signature comes back in encrypted_content and reaches Claude on the next turn', async () => {
    anthropic.queue({ blocks: [{ type: 'thinking', thinking: 'Weather for Kyiv needs the tool.' }, { type: 'tool_use', id: 'toolu_01Kyiv', name: 'get_weather', input: { city: 'Kyiv' } }] }, { blocks: [{ type: 'text', text: 'Cold in Kyiv.' }] });
    const responseTools = [{ type: 'function' as const, name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }];
    const first = await openai.responses.create({ model: 'claude-sonnet-4-6', input: 'Kyiv?', tools: responseTools, reasoning: { effort: 'low' }, store: false, include: ['reasoning.encrypted_content'] });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Kyiv' });
    assert.ok((first.usage?.input_tokens ?? 0) > 0 && (first.usage?.output_tokens ?? 0) > 0);
    const second = await openai.responses.create({
      model: 'claude-sonnet-4-6',
      tools: responseTools,
      reasoning: { effort: 'low' },
      store: false,
      input: [{ role: 'user', content: 'Kyiv?' }, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'Cold' }],
    });
    assert.equal(second.output_text, 'Cold in Kyiv.');
    const sent = lastMessageRequest()?.json as { messages: { content: { type: string; signature?: string }[] }[] };
    assert.deepEqual(sent.messages[1]?.content[0], { type: 'thinking', thinking: 'Weather for Kyiv needs the tool.', signature: fakeThinkingSignature('Weather for Kyiv needs the tool.') });
  });
});

describe('ollama-js to Claude', () => {
  it('chats with thinking and tools', async () => {
    anthropic.queue({ blocks: [{ type: 'thinking', thinking: 'Use the tool.' }, { type: 'tool_use', id: 'toolu_01O', name: 'get_weather', input: { city: 'Oslo' } }] });
    const ollama = new Ollama({ host: gateway.baseUrl });
    const response = await ollama.chat({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools, think: true, stream: false });
    assert.equal(response.message.thinking, 'Use the tool.');
    assert.deepEqual(response.message.tool_calls?.[0]?.function.arguments, { city: 'Oslo' });
    assert.ok(response.prompt_eval_count > 0 && response.eval_count > 0);
  });
});

describe('the Anthropic SDK to Claude through llmux', () => {
  it('keeps thinking signatures across turns and passes cache_control and betas on', async () => {
    const client = new Anthropic({ apiKey: 'unused', baseURL: gateway.baseUrl, maxRetries: 0, defaultHeaders: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' } });
    anthropic.queue({ blocks: [{ type: 'thinking', thinking: 'Call it.' }, { type: 'tool_use', id: 'toolu_01T', name: 'get_weather', input: { city: 'Rome' } }] }, { blocks: [{ type: 'text', text: 'Sunny in Rome.' }] });
    const anthropicTools = [{ name: 'get_weather', input_schema: { type: 'object' as const }, cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } }];
    const first = await client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: anthropicTools, messages: [{ role: 'user', content: 'Rome?' }] }).finalMessage();
    assert.deepEqual(first.content[0], { type: 'thinking', thinking: 'Call it.', signature: fakeThinkingSignature('Call it.') });
    // Claude's usage.service_tier comes back, streamed (in message_start) and whole.
    assert.equal(first.usage.service_tier, 'standard');
    // The cache write by ttl, as Claude reported it: the tools were written for an hour.
    assert.ok(first.usage.cache_creation_input_tokens !== null && first.usage.cache_creation_input_tokens > 0);
    assert.deepEqual(first.usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: first.usage.cache_creation_input_tokens });
    const second = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 3000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: anthropicTools,
      messages: [
        { role: 'user', content: 'Rome?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01T', content: 'Sunny' }] },
      ],
    });
    assert.equal(second.content[0]?.type === 'text' ? second.content[0].text : '', 'Sunny in Rome.');
    assert.equal(second.usage.service_tier, 'standard');
    assert.ok(second.usage.cache_read_input_tokens !== null && second.usage.cache_read_input_tokens > 0);
    assert.deepEqual(second.usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 });
    const call = lastMessageRequest();
    assert.equal(call?.headers['anthropic-beta'], 'context-1m-2025-08-07,interleaved-thinking-2025-05-14');
    assert.deepEqual((call?.json as { tools: unknown }).tools, anthropicTools);
  });

  it('counts tokens with the upstream, and lists every page of its models', async () => {
    const client = new Anthropic({ apiKey: 'unused', baseURL: gateway.baseUrl, maxRetries: 0 });
    const counted = await client.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hello there' }] });
    assert.ok(counted.input_tokens > 0);
    assert.equal(anthropic.calls('/v1/messages/count_tokens').length, 1);
    const listed: string[] = [];
    for await (const model of client.models.list({ limit: 1 })) listed.push(model.id);
    assert.deepEqual(listed, ['claude-sonnet-4-6', 'claude-haiku-4-5-20251001']);
  });

  it('a stream the upstream breaks after output ends with an error event, not message_stop', async () => {
    anthropic.queue({ blocks: [{ type: 'text', text: 'Once upon a time' }], errorAfter: { type: 'overloaded_error', message: 'Overloaded' } });
    const response = await fetch(`${gateway.baseUrl}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Story' }] }) });
    const text = await response.text();
    assert.match(text, /"text":" time"/);
    assert.ok(text.endsWith('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'), text.slice(-300));
    assert.doesNotMatch(text, /message_stop/);
  });
});

describe('model discovery', () => {
  it('follows has_more through every page', async () => {
    const many = Array.from({ length: 1003 }, (_, index) => `claude-model-${String(index).padStart(4, '0')}`);
    const fake = await FakeAnthropicServer.start();
    fake.models(many);
    const paged = await startTestGateway({ providers: [fake.providerConfig()] });
    try {
      const listed = (await (await fetch(`${paged.baseUrl}/v1/models`)).json()) as { data: { id: string }[] };
      assert.equal(listed.data.length, 1003);
      assert.equal(fake.calls('/v1/models').filter((call) => call.url.includes('after_id=claude-model-0999')).length, 1);
    } finally {
      await paged.close();
      await fake.close();
    }
  });
});
