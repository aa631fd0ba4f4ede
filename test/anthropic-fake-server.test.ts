import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { FAKE_ANTHROPIC_KEY, FakeAnthropicServer } from '../test-support/fake-anthropic-server.ts';
import { fakeThinkingSignature } from '../test-support/fake-anthropic-answer.ts';

// The fake is checked against the real client: what the @anthropic-ai/sdk accepts from it is what
// it accepts from api.anthropic.com, so the tests of llmux's Anthropic provider rest on it.

let fake: FakeAnthropicServer;
let client: Anthropic;

before(async () => {
  fake = await FakeAnthropicServer.start();
  client = new Anthropic({ apiKey: FAKE_ANTHROPIC_KEY, baseURL: fake.baseUrl, maxRetries: 0 });
});
after(async () => {
  await fake.close();
});

const tools = [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];

test('a streamed answer with thinking, text and a tool call assembles in the SDK', async () => {
  fake.queue({ blocks: [{ type: 'thinking', thinking: 'The user wants weather.' }, { type: 'text', text: 'Let me check.' }, { type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } }] });
  const stream = client.messages.stream({ model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools, thinking: { type: 'enabled', budget_tokens: 2000 } });
  const message = await stream.finalMessage();
  assert.equal(message.stop_reason, 'tool_use');
  assert.deepEqual(message.content[0], { type: 'thinking', thinking: 'The user wants weather.', signature: fakeThinkingSignature('The user wants weather.') });
  assert.equal(message.content[1]?.type === 'text' ? message.content[1].text : undefined, 'Let me check.');
  assert.equal(message.content[2]?.type, 'tool_use');
  assert.deepEqual(message.content[2]?.type === 'tool_use' ? message.content[2].input : undefined, { city: 'Paris' });
  assert.ok(message.usage.output_tokens > 1);
});

test('prompt caching: a breakpoint is written once, then read', async () => {
  const request = {
    model: 'claude-test',
    max_tokens: 100,
    system: [{ type: 'text' as const, text: 'You are a careful assistant. '.repeat(40), cache_control: { type: 'ephemeral' as const } }],
    messages: [{ role: 'user' as const, content: 'Hi' }],
  };
  const first = await client.messages.create(request);
  const second = await client.messages.create(request);
  assert.ok((first.usage.cache_creation_input_tokens ?? 0) > 200);
  assert.equal(first.usage.cache_read_input_tokens, 0);
  assert.equal(second.usage.cache_creation_input_tokens, 0);
  assert.equal(second.usage.cache_read_input_tokens, first.usage.cache_creation_input_tokens);
  const counted = await client.messages.countTokens({ model: request.model, system: request.system, messages: request.messages });
  assert.equal(counted.input_tokens, first.usage.input_tokens + (first.usage.cache_creation_input_tokens ?? 0));
});

test('a thinking block sent back must carry the signature the server issued', async () => {
  const messages = (signature: string) => [
    { role: 'user' as const, content: 'Weather?' },
    { role: 'assistant' as const, content: [{ type: 'thinking' as const, thinking: 'Hmm.', signature }, { type: 'tool_use' as const, id: 'toolu_1', name: 'get_weather', input: {} }] },
    { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_1', content: 'Sunny' }] },
  ];
  await assert.rejects(client.messages.create({ model: 'm', max_tokens: 10, tools, messages: messages('forged') }), (error: unknown) => error instanceof Anthropic.BadRequestError && /signature/.test(error.message));
  const ok = await client.messages.create({ model: 'm', max_tokens: 10, tools, messages: messages(fakeThinkingSignature('Hmm.')) });
  assert.equal(ok.type, 'message');
  const missing = [messages('x')[0]!, { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_2', name: 'get_weather', input: {} }] }, { role: 'user' as const, content: 'and?' }];
  await assert.rejects(client.messages.create({ model: 'm', max_tokens: 10, tools, messages: missing }), /tool_result/);
});

test('errors: 529 overloaded and 429 with retry-after, in the API shape with request-id', async () => {
  fake.fail(529, 'overloaded_error', 'Overloaded', {}, 1);
  await assert.rejects(client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.status, 529);
    assert.equal(error.type, 'overloaded_error');
    assert.match(error.requestID ?? '', /^req_/);
    return true;
  });
  fake.fail(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', { 'retry-after': '7' }, 1);
  await assert.rejects(client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
    assert.ok(error instanceof Anthropic.RateLimitError);
    assert.equal(error.headers?.get('retry-after'), '7');
    return true;
  });
  const wrongKey = new Anthropic({ apiKey: 'nope', baseURL: fake.baseUrl, maxRetries: 0 });
  await assert.rejects(wrongKey.models.list(), Anthropic.AuthenticationError);
});

test('a stream that fails after output ends with an error event the SDK throws', async () => {
  fake.queue({ blocks: [{ type: 'text', text: 'Once upon a time' }], errorAfter: { type: 'overloaded_error', message: 'Overloaded' } });
  const stream = client.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
  await assert.rejects(stream.finalMessage(), (error: unknown) => error instanceof Anthropic.APIError && error.type === 'overloaded_error');
});

test('models are paged with after_id and has_more, newest first', async () => {
  fake.models(['claude-a', 'claude-b', 'claude-c', 'claude-d', 'claude-e']);
  const ids: string[] = [];
  for await (const model of client.models.list({ limit: 2 })) ids.push(model.id);
  assert.deepEqual(ids, ['claude-a', 'claude-b', 'claude-c', 'claude-d', 'claude-e']);
  assert.equal(fake.calls('/v1/models').filter((call) => call.url.includes('after_id')).length, 2);
  const page = await client.models.list({ limit: 2, before_id: 'claude-e' });
  assert.deepEqual(page.data.map((model) => model.id), ['claude-c', 'claude-d']);
  assert.equal(page.data[0]?.display_name, 'Claude C');
});
