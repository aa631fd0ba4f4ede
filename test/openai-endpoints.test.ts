import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

describe('OpenAI models, embeddings, images and legacy completions through the openai SDK', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;
  let client: OpenAI;

  before(async () => {
    provider = new ScriptedProvider('scripted', [
      { id: 'model-a', created: 1690000000, contextLength: 131072, capabilities: ['completion', 'tools'] },
      { id: 'org/embedder' },
    ]);
    gateway = await startTestGateway(
      { models: [{ name: 'gpt-test', target: 'scripted/model-a', context_length: 8192, capabilities: ['completion', 'vision'] }] },
      { adapters: [provider] },
    );
    client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => gateway.close());
  beforeEach(() => {
    provider.requests.length = 0;
    provider.embedRequests.length = 0;
    provider.imageRequests.length = 0;
    provider.embeddings = undefined;
    provider.images = undefined;
  });

  it('lists aliases and provider models', async () => {
    const response = await fetch(`${gateway.baseUrl}/v1/models`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const body = (await response.json()) as { object: string; data: Record<string, unknown>[] };
    assert.equal(body.object, 'list');
    assert.deepEqual(body.data[0], { id: 'gpt-test', object: 'model', created: 1690000000, owned_by: 'scripted', context_length: 8192, capabilities: ['completion', 'vision'] });
    assert.deepEqual(body.data[1], { id: 'model-a', object: 'model', created: 1690000000, owned_by: 'scripted', context_length: 131072, capabilities: ['completion', 'tools'] });
    assert.equal(body.data[2]?.id, 'org/embedder');
    assert.equal(typeof body.data[2]?.created, 'number');
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(ids, ['gpt-test', 'model-a', 'org/embedder']);
  });

  it('retrieves one model, including ids with a slash', async () => {
    assert.equal((await client.models.retrieve('gpt-test')).owned_by, 'scripted');
    assert.equal((await client.models.retrieve('org/embedder')).id, 'org/embedder');
    const direct = await client.models.retrieve('scripted/model-a');
    assert.deepEqual({ ...direct }, { id: 'scripted/model-a', object: 'model', created: 1690000000, owned_by: 'scripted', context_length: 131072, capabilities: ['completion', 'tools'] });
    const raw = await fetch(`${gateway.baseUrl}/v1/models/scripted/model-a`);
    assert.equal(((await raw.json()) as { id: string }).id, 'scripted/model-a');
  });

  it('answers an unknown model id with a 404 in OpenAI shape', async () => {
    const error = await client.models.retrieve('missing').catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.NotFoundError);
    assert.equal(error.message, "404 model 'missing' not found; known models: gpt-test, model-a, org/embedder");
    assert.equal(error.type, 'invalid_request_error');
  });

  it('creates embeddings as floats and as base64 float32 (which the SDK decodes)', async () => {
    provider.embeddings = [
      [0.5, -1.25, 3],
      [0.1, 0.2, 0.3],
    ];
    const floats = await client.embeddings.create({ model: 'org/embedder', input: ['one', 'two'], encoding_format: 'float', dimensions: 3 });
    assert.equal(floats.object, 'list');
    assert.equal(floats.model, 'org/embedder');
    assert.deepEqual(
      floats.data.map((item) => [item.object, item.index, item.embedding]),
      [
        ['embedding', 0, [0.5, -1.25, 3]],
        ['embedding', 1, [0.1, 0.2, 0.3]],
      ],
    );
    assert.deepEqual(provider.embedRequests[0], { model: 'org/embedder', input: ['one', 'two'], dimensions: 3 });
    assert.ok(floats.usage.prompt_tokens > 0, 'counted with the tokenizer when the provider reports no usage');
    assert.equal(floats.usage.total_tokens, floats.usage.prompt_tokens);

    provider.embeddings = [[0.5, -1.25, 3]];
    const decoded = await client.embeddings.create({ model: 'org/embedder', input: 'one' });
    assert.deepEqual(decoded.data[0]?.embedding, [0.5, -1.25, 3]);

    const raw = await fetch(`${gateway.baseUrl}/v1/embeddings`, { method: 'POST', body: JSON.stringify({ model: 'org/embedder', input: 'one', encoding_format: 'base64' }) });
    const body = (await raw.json()) as { data: { embedding: string }[] };
    assert.equal(body.data[0]?.embedding, Buffer.from(new Float32Array([0.5, -1.25, 3]).buffer).toString('base64'));

    provider.embeddings = [];
    const mismatch = await client.embeddings.create({ model: 'org/embedder', input: 'one' }).catch((caught: unknown) => caught);
    assert.ok(mismatch instanceof OpenAI.InternalServerError);
    assert.equal(mismatch.status, 502);
  });

  it('refuses token-array embedding input with a 400 naming the field', async () => {
    const error = await client.embeddings.create({ model: 'org/embedder', input: [[1, 2, 3]] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.equal(error.param, 'input');
    assert.match(error.message, /token-id arrays are not supported/);
  });

  it('generates images', async () => {
    provider.images = { created: 1700000001, images: [{ url: 'https://cdn.example/1.png', revisedPrompt: 'a red fox, watercolour' }] };
    const result = await client.images.generate({ model: 'gpt-test', prompt: 'a fox', n: 1, size: '1024x1792', quality: 'hd', style: 'natural' });
    assert.deepEqual({ ...result }, { created: 1700000001, data: [{ url: 'https://cdn.example/1.png', revised_prompt: 'a red fox, watercolour' }] });
    assert.deepEqual(provider.imageRequests[0], { model: 'model-a', prompt: 'a fox', n: 1, size: '1024x1792', quality: 'hd', style: 'natural', responseFormat: 'url' });

    provider.images = { created: 1700000002, images: [{ b64Json: 'AAAA' }, { b64Json: 'BBBB' }] };
    const b64 = await client.images.generate({ model: 'gpt-test', prompt: 'two foxes', n: 2, response_format: 'b64_json' });
    assert.deepEqual(b64.data, [{ b64_json: 'AAAA' }, { b64_json: 'BBBB' }]);
    assert.equal(provider.imageRequests[1]?.n, 2);

    const missingModel = await client.images.generate({ prompt: 'x' }).catch((caught: unknown) => caught);
    assert.ok(missingModel instanceof OpenAI.BadRequestError);
    assert.equal(missingModel.param, 'model');
  });

  it('answers legacy completions, streamed and not', async () => {
    provider.script = textScript('Once upon a time');
    const completion = await client.completions.create({ model: 'gpt-test', prompt: 'Tell a story', max_tokens: 16, stop: '\n' });
    assert.equal(completion.object, 'text_completion');
    assert.equal(completion.model, 'gpt-test');
    assert.match(completion.id, /^cmpl-/);
    assert.deepEqual(completion.choices, [{ text: 'Once upon a time', index: 0, logprobs: null, finish_reason: 'stop' }]);
    assert.deepEqual(completion.usage, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    assert.deepEqual(provider.requests[0], {
      model: 'model-a',
      stream: false,
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Tell a story' }] }],
      maxTokens: 16,
      stop: ['\n'],
    });

    const stream = await client.completions.create({ model: 'gpt-test', prompt: 'Tell a story', stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.Completions.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage != null) usage = chunk.usage;
    }
    assert.equal(text, 'Once upon a time');
    assert.equal(finish, 'stop');
    assert.deepEqual(usage, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('refuses legacy completion features it cannot honour, and hands a suffix to the provider', async () => {
    const echo = await client.completions.create({ model: 'gpt-test', prompt: 'x', echo: true }).catch((caught: unknown) => caught);
    assert.ok(echo instanceof OpenAI.BadRequestError);
    assert.equal(echo.param, 'echo');
    assert.equal(provider.requests.length, 0);
    await client.completions.create({ model: 'gpt-test', prompt: 'def f(', suffix: 'return x' });
    assert.equal(provider.requests[0]?.suffix, 'return x');
  });
});
