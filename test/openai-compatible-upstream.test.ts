import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { openAIStyleStream } from '../test-support/openai-style-stream.ts';
import { readOpenAIChatStream } from '../test-support/read-openai-chat-stream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * openai SDK → llmux → the `openai-compatible` provider → a fake OpenAI-compatible server (vLLM,
 * LM Studio, OpenAI itself) under a base URL with a path: key, extra headers, streaming with a
 * separate usage chunk, embeddings, discovered models and OpenAI-shaped upstream errors.
 */
describe('OpenAI clients served by an openai-compatible upstream', () => {
  let upstream: FakeUpstreamServer;
  let gateway: TestGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await FakeUpstreamServer.start();
    upstream.json('GET', '/serving/v1/models', 200, { object: 'list', data: [{ id: 'qwen3-32b', object: 'model', created: 1745000000, owned_by: 'vllm', max_model_len: 32768 }] });
    gateway = await startTestGateway({
      providers: [{ id: 'local', type: 'openai-compatible', base_url: `${upstream.baseUrl}/serving/v1/`, api_key: 'sk-local', headers: { 'x-tenant': 'blue' } }],
    });
    client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('sends the key and the configured headers under the base URL, and streams reasoning, text and the later usage chunk', async () => {
    upstream.chunks('POST', '/serving/v1/chat/completions', openAIStyleStream({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 8 } }));
    const stream = await client.chat.completions.create({
      model: 'local/qwen3-32b',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { content, reasoning, usage } = await readOpenAIChatStream(stream);
    assert.equal(content, 'Hi ☃');
    assert.equal(reasoning, 'Think.');
    assert.deepEqual(usage, { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 8 } });

    const call = upstream.lastCall('/serving/v1/chat/completions');
    assert.equal(call?.headers.authorization, 'Bearer sk-local');
    assert.equal(call?.headers['x-tenant'], 'blue');
    assert.deepEqual(call?.json, {
      model: 'qwen3-32b',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
    });
  });

  it('creates embeddings through the upstream, with its usage', async () => {
    upstream.json('POST', '/serving/v1/embeddings', 200, {
      object: 'list',
      model: 'bge-m3',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -1.25] },
        { object: 'embedding', index: 1, embedding: [2, 0.125] },
      ],
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    const result = await client.embeddings.create({ model: 'local/bge-m3', input: ['one', 'two'], dimensions: 2 });
    assert.deepEqual(result.data.map((item) => item.embedding), [[0.5, -1.25], [2, 0.125]]);
    assert.deepEqual(result.usage, { prompt_tokens: 7, total_tokens: 7 });
    assert.deepEqual(upstream.lastCall('/serving/v1/embeddings')?.json, { model: 'bge-m3', input: ['one', 'two'], encoding_format: 'float', dimensions: 2 });
  });

  it("lists the upstream's models with their context length", async () => {
    const listed = await client.models.list();
    assert.deepEqual(listed.data.map((model) => ({ ...model })), [{ id: 'qwen3-32b', object: 'model', created: 1745000000, owned_by: 'local', context_length: 32768, capabilities: ['completion', 'tools', 'thinking'] }]);
    await client.models.list();
    const listings = upstream.calls.filter((call) => call.method === 'GET' && call.path === '/serving/v1/models');
    assert.equal(listings.length, 1, 'fetched once, then cached');
    assert.equal(listings[0]?.headers.authorization, 'Bearer sk-local');
  });

  it("passes on the upstream's OpenAI-shaped errors: param and code of a 400, retry-after of a 429", async () => {
    upstream.json('POST', '/serving/v1/chat/completions', 400, {
      error: { message: "'temperature' must be at most 2", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' },
    });
    const invalid = await client.chat.completions.create({ model: 'local/qwen3-32b', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(invalid instanceof OpenAI.BadRequestError);
    assert.equal(invalid.message, "400 'temperature' must be at most 2");
    assert.equal(invalid.param, 'temperature');
    assert.equal(invalid.code, 'invalid_value');

    upstream.json('POST', '/serving/v1/chat/completions', 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '30' });
    const limited = await client.chat.completions.create({ model: 'local/qwen3-32b', messages: [{ role: 'user', content: 'Hi' }], stream: true }).catch((caught: unknown) => caught);
    assert.ok(limited instanceof OpenAI.RateLimitError);
    assert.equal(limited.headers?.get('retry-after'), '30');
    assert.equal(limited.code, 'rate_limit_exceeded');
  });
});
