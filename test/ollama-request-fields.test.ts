import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const YEAR_MS = 365 * 86_400_000;

/**
 * Request fields as clients really send them, read over HTTP on both /api/chat and /api/generate:
 * what reaches the provider, and what `keep_alive` does to /api/ps. Also model facts the
 * provider's own model list declares (context length, capabilities).
 */
describe('Ollama request fields over HTTP, and provider-declared model facts', () => {
  let provider: ScriptedProvider;
  let gateway: TestGateway;

  async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(gateway.baseUrl + path, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function expiresInMs(name: string): Promise<number | undefined> {
    const { models } = (await (await fetch(`${gateway.baseUrl}/api/ps`)).json()) as { models: { name: string; expires_at: string }[] };
    const found = models.find((model) => model.name === name);
    return found === undefined ? undefined : Date.parse(found.expires_at) - Date.now();
  }

  before(async () => {
    provider = new ScriptedProvider('scripted', [
      { id: 'm' },
      { id: 'house-model', contextLength: 65536, capabilities: ['completion', 'tools', 'vision'] },
      { id: 'house-embedder', contextLength: 8192, capabilities: ['embedding'] },
    ]);
    gateway = await startTestGateway({}, { adapters: [provider] });
  });
  after(() => gateway.close());
  beforeEach(() => {
    provider.requests.length = 0;
    provider.script = textScript('ok');
  });

  it('generate: options with nulls, unknown keys and a string stop; think levels; format', async () => {
    const sent = await post('/api/generate', {
      model: 'm',
      prompt: 'hi',
      stream: false,
      think: 'max',
      format: { type: 'object', properties: { a: { type: 'number' } } },
      options: { temperature: null, top_p: 0.5, top_k: 0, num_predict: -1, seed: -1, stop: '\n', num_ctx: 2048, mirostat: 2, tfs_z: 1, penalize_newline: true, num_gpu: null, min_p: null },
    });
    assert.equal(sent.status, 200);
    const request = provider.requests[0];
    assert.deepEqual(
      { topP: request?.topP, stop: request?.stop, contextLength: request?.contextLength, reasoning: request?.reasoning, responseFormat: request?.responseFormat },
      { topP: 0.5, stop: ['\n'], contextLength: 2048, reasoning: { effort: 'max' }, responseFormat: { type: 'json-schema', schema: { type: 'object', properties: { a: { type: 'number' } } } } },
    );
    for (const unset of ['temperature', 'topK', 'maxTokens', 'seed', 'minP'] as const) assert.equal(request?.[unset], undefined, `${unset} is not sent`);

    await post('/api/generate', { model: 'm', prompt: 'hi', stream: false, think: false, format: '' });
    await post('/api/chat', { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, format: null, think: 'medium', options: null });
    await post('/api/chat', { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, format: 'json', options: { stop: ['a', 'b'], num_predict: 10 } });
    assert.deepEqual(
      provider.requests.slice(1).map((sentRequest) => [sentRequest.reasoning, sentRequest.responseFormat, sentRequest.stop, sentRequest.maxTokens]),
      [
        [{ effort: 'none' }, undefined, undefined, undefined],
        [{ effort: 'medium' }, undefined, undefined, undefined],
        [undefined, { type: 'json' }, ['a', 'b'], 10],
      ],
    );
  });

  it('generate: system, prompt and images (raw, data: URL) reach the provider in order', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
    await post('/api/generate', { model: 'm', prompt: 'What is it?', system: 'Be terse.', images: [png, `data:image/png;base64,${png}`], stream: false });
    assert.deepEqual(provider.requests[0]?.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be terse.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'What is it?' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: png } },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: png } },
        ],
      },
    ]);
  });

  it('keep_alive in every form Ollama clients send, as /api/ps shows it', async () => {
    const cases: [unknown, number, number][] = [
      [1800, 29 * 60_000, 30 * 60_000],
      ['1800', 29 * 60_000, 30 * 60_000],
      ['5m', 4 * 60_000, 5 * 60_000],
      ['1h30m', 89 * 60_000, 90 * 60_000],
      ['-1', 100 * YEAR_MS, Number.POSITIVE_INFINITY],
      [-5, 100 * YEAR_MS, Number.POSITIVE_INFINITY],
      ['-1m', 100 * YEAR_MS, Number.POSITIVE_INFINITY],
      [null, 4 * 60_000, 5 * 60_000],
    ];
    for (const [keepAlive, low, high] of cases) {
      const answer = await post('/api/chat', { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, keep_alive: keepAlive });
      assert.equal(answer.status, 200, JSON.stringify(keepAlive));
      const remaining = await expiresInMs('m:latest');
      assert.ok(remaining !== undefined && remaining > low && remaining <= high, `keep_alive ${JSON.stringify(keepAlive)}: ${remaining} ms left`);
    }
    for (const unload of [0, '0', '0s']) {
      await post('/api/generate', { model: 'm', prompt: 'hi', stream: false, keep_alive: '1h' });
      assert.ok((await expiresInMs('m:latest')) !== undefined);
      const answer = await post('/api/generate', { model: 'm', prompt: 'hi', stream: false, keep_alive: unload });
      assert.equal(answer.status, 200);
      assert.equal(await expiresInMs('m:latest'), undefined, `keep_alive ${JSON.stringify(unload)} unloads after answering`);
    }
  });

  it("reports the provider's declared context length and capabilities, and honours them", async () => {
    const shown = await post('/api/show', { model: 'house-model' });
    assert.deepEqual(shown.body.capabilities, ['completion', 'tools', 'vision']);
    const info = shown.body.model_info as Record<string, unknown>;
    assert.equal(info[`${String(info['general.architecture'])}.context_length`], 65536);
    assert.match(String(shown.body.parameters), /^num_ctx {24}65536$/);
    const { models } = (await (await fetch(`${gateway.baseUrl}/api/tags`)).json()) as { models: { name: string; capabilities: string[]; details: { context_length: number } }[] };
    const listed = models.find((model) => model.name === 'house-model:latest');
    assert.deepEqual([listed?.capabilities, listed?.details.context_length], [['completion', 'tools', 'vision'], 65536]);
    assert.deepEqual((await post('/api/show', { model: 'house-embedder' })).body.capabilities, ['embedding']);

    const refused = await post('/api/chat', { model: 'house-model', messages: [{ role: 'user', content: 'hi' }], think: true });
    assert.deepEqual(refused, { status: 400, body: { error: '"house-model" does not support thinking' } });
    const embedder = await post('/api/chat', { model: 'house-embedder', messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(embedder, { status: 400, body: { error: '"house-embedder" does not support chat' } });
    assert.equal(provider.requests.length, 0);
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }];
    assert.equal((await post('/api/chat', { model: 'house-model', messages: [{ role: 'user', content: 'hi' }], tools, stream: false })).status, 200);
  });
});
