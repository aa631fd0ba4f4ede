import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { readOpenAIChatStream } from '../test-support/read-openai-chat-stream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

type ReasoningMessage = OpenAI.Chat.Completions.ChatCompletionMessage & { reasoning_content?: string };

/**
 * openai SDK → llmux → the cerebras adapter → a fake Cerebras: what of an OpenAI request reaches
 * Cerebras and in which form, Qwen's `<think>` reasoning, the discovered model list, what
 * Cerebras cannot do, and keys refused on either side.
 */
describe('OpenAI requests as Cerebras receives them', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()] });
    client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await cerebras.close();
  });
  beforeEach(() => {
    cerebras.server.calls.length = 0;
  });

  it('sends roles, tools, tool_choice, json_schema and sampling fields as Cerebras takes them', async () => {
    cerebras.answer({ text: '{"city":"Paris"}' });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const completion = await client.chat.completions.create({
      model: 'cerebras/gpt-oss-120b',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: 'Answer in JSON.' },
        { role: 'user', content: [{ type: 'text', text: 'Where is the Louvre?' }] },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', description: 'Search', parameters: { type: 'object', properties: {} }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'place', schema, strict: true } },
      max_tokens: 300,
      temperature: 0.4,
      top_p: 0.9,
      stop: 'END',
      seed: 11,
      logprobs: true,
      top_logprobs: 2,
      user: 'user-1',
      reasoning_effort: 'minimal',
    });
    assert.equal(completion.choices[0]?.message.content, '{"city":"Paris"}');
    assert.deepEqual(cerebras.chatRequests().at(-1), {
      model: 'gpt-oss-120b',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: 'Answer in JSON.' },
        { role: 'user', content: 'Where is the Louvre?' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} }, description: 'Search', strict: true } }],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'place', schema, strict: true } },
      max_completion_tokens: 300,
      temperature: 0.4,
      top_p: 0.9,
      stop: ['END'],
      seed: 11,
      logprobs: true,
      top_logprobs: 2,
      user: 'user-1',
      reasoning_effort: 'low',
    });
  });

  it("drops OpenAI fields Cerebras does not take and keeps Cerebras' own", async () => {
    cerebras.answer({ text: 'ok' });
    const body = {
      model: 'cerebras/gpt-oss-120b',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      store: true,
      metadata: { trace: 'abc' },
      verbosity: 'low',
      prediction: { type: 'content', content: 'ok' },
      service_tier: 'auto',
      // Cerebras-only fields, as a client's extra_body puts them at the top level.
      reasoning_format: 'parsed',
      clear_thinking: true,
    } as OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
    let content = '';
    for await (const chunk of await client.chat.completions.create(body)) content += chunk.choices[0]?.delta.content ?? '';
    assert.equal(content, 'ok');
    assert.deepEqual(cerebras.chatRequests().at(-1), {
      model: 'gpt-oss-120b',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
      // Sent by default: Cerebras reserves the model's whole maximum against the key's budget otherwise.
      max_completion_tokens: 8192,
      prediction: { type: 'content', content: 'ok' },
      service_tier: 'auto',
      reasoning_format: 'parsed',
      clear_thinking: true,
    });
  });

  it("gives Qwen's <think> content as reasoning_content, streamed and not", async () => {
    cerebras.answer({ model: 'qwen-3-235b-a22b-instruct-2507', thinkTags: 'The user greets me.', text: 'Hello!' });
    const model = 'cerebras/qwen-3-235b-a22b-instruct-2507';
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
    const message = completion.choices[0]?.message as ReasoningMessage;
    assert.equal(message.content, 'Hello!');
    assert.equal(message.reasoning_content, 'The user greets me.');

    const { content, reasoning } = await readOpenAIChatStream(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    assert.equal(content, 'Hello!');
    assert.equal(reasoning, 'The user greets me.');
  });

  it("gives Cerebras' system_fingerprint back on chat completions and legacy completions, streamed and not", async () => {
    cerebras.answer({ text: 'Hi' });
    const whole = await client.chat.completions.create({ model: 'cerebras/gpt-oss-120b', messages: [{ role: 'user', content: 'Hello' }] });
    assert.equal(whole.system_fingerprint, 'fp_fake');
    cerebras.answer({ text: 'Hi' });
    const chunks = await client.chat.completions.create({ model: 'cerebras/gpt-oss-120b', messages: [{ role: 'user', content: 'Hello' }], stream: true, stream_options: { include_usage: true } });
    const fingerprints = new Set<string | undefined>();
    let count = 0;
    for await (const chunk of chunks) {
      count += 1;
      fingerprints.add(chunk.system_fingerprint);
    }
    assert.ok(count > 2);
    assert.deepEqual([...fingerprints], ['fp_fake'], 'every chunk carries it');
    cerebras.answer({ text: 'Hi' });
    const legacy = await client.completions.create({ model: 'cerebras/gpt-oss-120b', prompt: 'Hello' });
    assert.equal(legacy.system_fingerprint, 'fp_fake');
    cerebras.answer({ text: 'Hi' });
    const legacyChunks = await client.completions.create({ model: 'cerebras/gpt-oss-120b', prompt: 'Hello', stream: true });
    for await (const chunk of legacyChunks) assert.equal(chunk.system_fingerprint, 'fp_fake');
  });

  it('refuses embeddings for a Cerebras model with a 400 naming the model, without calling Cerebras', async () => {
    const error = await client.embeddings.create({ model: 'cerebras/gpt-oss-120b', input: 'hello' }).catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.equal(error.param, 'model');
    assert.match(error.message, /does not support embeddings/);
    assert.equal(cerebras.server.calls.filter((call) => call.method === 'POST').length, 0);
  });

  it("maps Cerebras refusing llmux's key (401, 403) to OpenAI errors that say whose key it was", async () => {
    cerebras.fail(401, { message: 'Wrong API Key', type: 'invalid_request_error', code: 'wrong_api_key' });
    const refused = await client.chat.completions.create({ model: 'cerebras/gpt-oss-120b', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(refused instanceof OpenAI.AuthenticationError);
    assert.equal(refused.message, "401 provider 'cerebras' rejected the API key llmux is configured with: Wrong API Key (check its api_key)");
    assert.equal(refused.code, 'wrong_api_key');

    cerebras.fail(403, { message: 'This model is not enabled for your organization', type: 'permission_error' });
    const forbidden = await client.chat.completions.create({ model: 'cerebras/gpt-oss-120b', messages: [{ role: 'user', content: 'Hi' }], stream: true }).catch((caught: unknown) => caught);
    assert.ok(forbidden instanceof OpenAI.PermissionDeniedError);
    assert.match(forbidden.message, /^403 provider 'cerebras' refused the request .*: This model is not enabled for your organization$/);
  });
});

describe('Cerebras models as OpenAI clients list them', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;

  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    cerebras.models(['gpt-oss-120b', 'zai-glm-4.7']);
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()], models: [{ name: 'fast', target: 'cerebras/gpt-oss-120b' }] });
  });
  after(async () => {
    await gateway.close();
    await cerebras.close();
  });

  it("lists Cerebras' own models, fetched once with the provider key and then cached", async () => {
    const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'client-key', maxRetries: 0 });
    const first = await client.models.list();
    assert.deepEqual(
      first.data.map((model) => ({ ...model })),
      [
        // Context and capabilities from gpt-oss-120b's own entry at Cerebras (GET /v1/models/gpt-oss-120b); zai-glm-4.7's from the known families.
        { id: 'fast', object: 'model', created: 1721692800, owned_by: 'cerebras', context_length: 131072, capabilities: ['completion', 'tools', 'thinking'] },
        { id: 'gpt-oss-120b', object: 'model', created: 1721692800, owned_by: 'cerebras', context_length: 131072, capabilities: ['completion', 'tools', 'thinking'] },
        { id: 'zai-glm-4.7', object: 'model', created: 1721692800, owned_by: 'cerebras', context_length: 202752, capabilities: ['completion', 'tools', 'thinking'] },
      ],
    );
    const second = await client.models.list();
    assert.deepEqual(second.data.map((model) => model.id), ['fast', 'gpt-oss-120b', 'zai-glm-4.7']);
    assert.equal((await client.models.retrieve('zai-glm-4.7')).id, 'zai-glm-4.7');

    const listings = cerebras.server.calls.filter((call) => call.method === 'GET' && call.path === '/v1/models');
    assert.equal(listings.length, 1);
    assert.equal(listings[0]?.headers.authorization, 'Bearer csk-test-key');
  });
});

describe('OpenAI clients with a wrong key, in front of Cerebras', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;

  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()], keys: [{ key: 'sk-right' }] });
  });
  after(async () => {
    await gateway.close();
    await cerebras.close();
  });

  it('refuses a wrong key with 401 before reaching Cerebras, and serves the right one', async () => {
    cerebras.answer({ text: 'Hello.' });
    for (const stream of [false, true]) {
      const wrong = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
      const error = await wrong.chat.completions.create({ model: 'cerebras/gpt-oss-120b', messages: [{ role: 'user', content: 'Hi' }], stream }).catch((caught: unknown) => caught);
      assert.ok(error instanceof OpenAI.AuthenticationError);
      assert.equal(error.message, '401 invalid API key');
      assert.equal(error.code, 'invalid_api_key');
    }
    assert.equal(cerebras.chatRequests().length, 0);

    const right = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'sk-right', maxRetries: 0 });
    const completion = await right.chat.completions.create({ model: 'cerebras/gpt-oss-120b', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(completion.choices[0]?.message.content, 'Hello.');
    assert.equal(cerebras.server.lastCall('/v1/chat/completions')?.headers.authorization, 'Bearer csk-test-key');
  });
});
