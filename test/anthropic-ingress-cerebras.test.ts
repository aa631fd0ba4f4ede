import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

// The @anthropic-ai/sdk against llmux, served by a chat-completions upstream (the Cerebras fake).

let cerebras: FakeCerebrasUpstream;
let gateway: TestGateway;
let client: Anthropic;

before(async () => {
  cerebras = await FakeCerebrasUpstream.start();
  cerebras.models(['gpt-oss-120b', 'llama3.1-8b', 'qwen-3-235b-a22b-instruct-2507']);
  gateway = await startTestGateway({
    providers: [cerebras.providerConfig()],
    models: [
      { name: 'claude-*', target: 'cerebras/gpt-oss-120b' },
      { name: 'claude-haiku-4-5-20251001', target: 'cerebras/llama3.1-8b' },
    ],
  });
  client = new Anthropic({ apiKey: 'unused', baseURL: gateway.baseUrl, maxRetries: 0 });
});
after(async () => {
  await gateway.close();
  await cerebras.close();
});
beforeEach(() => cerebras.server.calls.splice(0));

const tools = [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } }];

test('messages.create: text answer with usage, stop reason and the requested model', async () => {
  cerebras.answer({ text: 'Hello there!', reasoning: 'Greeting.' });
  const message = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 200, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(message.model, 'claude-sonnet-4-6');
  assert.equal(message.stop_reason, 'end_turn');
  assert.deepEqual(message.content.map((block) => block.type), ['thinking', 'text']);
  assert.equal(message.content[1]?.type === 'text' ? message.content[1].text : '', 'Hello there!');
  assert.equal(message.usage.input_tokens, 24);
  assert.ok(message.usage.output_tokens > 0);
  const sent = cerebras.chatRequests()[0] as { model: string; messages: { role: string; content: unknown }[]; max_completion_tokens?: number; max_tokens?: number };
  assert.equal(sent.model, 'gpt-oss-120b');
  assert.deepEqual(sent.messages[0], { role: 'system', content: 'Be brief.' });
});

test('messages.stream: thinking, text and a streamed tool call assemble in the SDK', async () => {
  cerebras.answer({ reasoning: 'Need the weather tool.', text: 'Checking.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}', id: 'call_1' }] });
  const stream = client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 500, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }], thinking: { type: 'enabled', budget_tokens: 2048 } });
  const message = await stream.finalMessage();
  assert.equal(message.stop_reason, 'tool_use');
  assert.deepEqual(message.content.map((block) => block.type), ['thinking', 'text', 'tool_use']);
  const call = message.content[2];
  assert.ok(call?.type === 'tool_use');
  assert.equal(call.id, 'call_1');
  assert.deepEqual(call.input, { city: 'Paris' });
  assert.equal(message.usage.input_tokens, 24);
  const sent = cerebras.chatRequests()[0] as { tools: unknown[]; reasoning_effort?: string };
  assert.equal(sent.tools.length, 1);
});

test('a tool result round trip reaches the upstream as a tool message', async () => {
  cerebras.answer({ text: 'It is sunny.' });
  await client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 100,
    tools,
    messages: [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'Sunny' }], is_error: false }, { type: 'text', text: 'Thanks' }] },
    ],
  });
  const sent = cerebras.chatRequests()[0] as { messages: Record<string, unknown>[] };
  assert.deepEqual(sent.messages.map((message) => message.role), ['user', 'assistant', 'tool', 'user']);
  assert.equal(sent.messages[2]?.tool_call_id, 'toolu_1');
});

test('count_tokens is counted with the tokenizer when the upstream cannot count', async () => {
  const counted = await client.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hello, how are you today?' }], tools });
  assert.ok(counted.input_tokens > 5);
  assert.equal(cerebras.chatRequests().length, 0);
});

test('models.list answers in Anthropic shape with anthropic-version, OpenAI shape without', async () => {
  const page = await client.models.list({ limit: 100 });
  assert.deepEqual(page.data.map((model) => model.id), ['claude-haiku-4-5-20251001', 'gpt-oss-120b', 'llama3.1-8b', 'qwen-3-235b-a22b-instruct-2507']);
  assert.equal(page.data[0]?.type, 'model');
  const openai = (await (await fetch(`${gateway.baseUrl}/v1/models`)).json()) as { object: string };
  assert.equal(openai.object, 'list');
  const first = await client.models.list({ limit: 1 });
  assert.equal(first.data.length, 1);
  assert.equal(first.has_more, true);
  const one = await client.models.retrieve('gpt-oss-120b');
  assert.equal(one.type, 'model');
  assert.equal(one.id, 'gpt-oss-120b');
  assert.match(one.created_at, /^\d{4}-\d\d-\d\dT/);
  await assert.rejects(client.models.retrieve('no-such-model'), Anthropic.NotFoundError);
});

test('errors arrive in Anthropic shape with request-id: bad body, unknown model, upstream 429', async () => {
  await assert.rejects(client.messages.create({ model: 'claude-x', max_tokens: 0, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.BadRequestError);
    assert.equal(error.type, 'invalid_request_error');
    assert.match(error.message, /max_tokens/);
    assert.ok((error.requestID ?? '').length > 0);
    return true;
  });
  await assert.rejects(client.messages.create({ model: 'gpt-unknown', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), Anthropic.NotFoundError);
  cerebras.fail(429, { message: 'Too many requests', type: 'too_many_requests_error' }, { 'retry-after': '0' });
  await assert.rejects(client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.RateLimitError);
    assert.equal(error.type, 'rate_limit_error');
    return true;
  });
});
