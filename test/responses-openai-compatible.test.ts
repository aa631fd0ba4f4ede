import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { openAIStyleStream } from '../test-support/openai-style-stream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/** The Responses API served by an `openai-compatible` upstream that only speaks chat completions. */
describe('the Responses API served by an openai-compatible upstream', () => {
  let upstream: FakeUpstreamServer;
  let gateway: TestGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await FakeUpstreamServer.start();
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'qwen3-32b', object: 'model', created: 1745000000, owned_by: 'vllm' }] });
    gateway = await startTestGateway({ providers: [{ id: 'local', type: 'openai-compatible', base_url: `${upstream.baseUrl}/v1`, api_key: 'sk-local' }] });
    client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('streams reasoning and text with the upstream usage, cached and reasoning tokens included, and sends JSON-schema output as response_format', async () => {
    upstream.chunks('POST', '/v1/chat/completions', openAIStyleStream({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 2 } }));
    const stream = client.responses.stream({
      model: 'qwen3-32b',
      input: 'Hi',
      text: { format: { type: 'json_schema', name: 'greeting', schema: { type: 'object', properties: { text: { type: 'string' } } }, strict: true } },
    });
    const final = await stream.finalResponse();
    assert.deepEqual(final.output.map((item) => item.type), ['reasoning', 'message']);
    assert.equal(final.output_text, 'Hi ☃');
    assert.deepEqual(final.usage, { input_tokens: 9, input_tokens_details: { cached_tokens: 8 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 13 });
    const sent = upstream.lastCall('/v1/chat/completions')?.json as { response_format?: { type: string; json_schema?: { name: string; strict: boolean } } };
    assert.equal(sent.response_format?.type, 'json_schema');
    assert.equal(sent.response_format?.json_schema?.name, 'greeting');
    assert.equal(sent.response_format?.json_schema?.strict, true);
  });

  it('answers an upstream error before any output as an HTTP error in OpenAI shape', async () => {
    upstream.json('POST', '/v1/chat/completions', 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '30' });
    await assert.rejects(client.responses.create({ model: 'qwen3-32b', input: 'Hi' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.RateLimitError);
      return true;
    });
  });
});
