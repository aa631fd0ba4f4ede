import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import { Ollama } from 'ollama';
import OpenAI, { APIError } from 'openai';
import { loadGatewayConfig } from '../src/config/load-gateway-config.ts';
import { FakeHttpProxy } from '../test-support/fake-http-proxy.ts';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { FakeSocks5Proxy } from '../test-support/fake-socks5-proxy.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * The Poe → OpenAI/Ollama bridge (gigq/poe-to-openai) was configured by environment only:
 * SYSTEM_TOKEN (Poe key), CUSTOM_TOKEN (client key), MODEL_MAPPING and PROXY_*. The same
 * environment, with no config file, must serve Poe's bots through llmux.
 */
describe("the Poe bridge's environment, unchanged", () => {
  let poe: FakePoeServer;
  let directory: string;

  before(async () => {
    poe = await FakePoeServer.start();
    poe.keys.add('poe-system-token');
    poe.openai('GPT-4o', { text: 'Hello from GPT-4o' });
    poe.openai('Llama-3-70b', { text: 'Hello from Llama' });
    directory = await mkdtemp(join(tmpdir(), 'llmux-poe-env-'));
  });
  after(async () => {
    await poe.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function gatewayFor(environment: Record<string, string>): Promise<TestGateway> {
    const loaded = await loadGatewayConfig({ environment: { POE_BASE_URL: poe.openaiBaseUrl, ...environment }, cwd: directory });
    assert.equal(loaded.source.kind, 'environment');
    return startTestGateway(loaded.config);
  }

  it('SYSTEM_TOKEN, CUSTOM_TOKEN and MODEL_MAPPING: mapped names and bot names both work, with the client key only', async () => {
    const gateway = await gatewayFor({ SYSTEM_TOKEN: 'poe-system-token', CUSTOM_TOKEN: 'ctok', MODEL_MAPPING: '{"gpt-4o-mini": "GPT-4o"}' });
    try {
      poe.openaiCalls.length = 0;
      const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'ctok', maxRetries: 0 });
      const mapped = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(mapped.choices[0]?.message.content, 'Hello from GPT-4o');
      const direct = await client.chat.completions.create({ model: 'Llama-3-70b', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(direct.choices[0]?.message.content, 'Hello from Llama');
      assert.deepEqual(
        poe.openaiCalls.map((call) => [call.body['model'], call.headers.authorization]),
        [
          ['GPT-4o', 'Bearer poe-system-token'],
          ['Llama-3-70b', 'Bearer poe-system-token'],
        ],
      );
      const models = await client.models.list();
      assert.ok(models.data.some((model) => model.id === 'gpt-4o-mini'));
      assert.ok(models.data.some((model) => model.id === 'Llama-3-70b'));

      const ollama = new Ollama({ host: gateway.baseUrl, headers: { Authorization: 'Bearer ctok' } });
      const chat = await ollama.chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: false });
      assert.equal(chat.message.content, 'Hello from GPT-4o');

      const stranger = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'not-the-token', maxRetries: 0 });
      await assert.rejects(stranger.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }), (error: APIError) => error.status === 401);
    } finally {
      await gateway.close();
    }
  });

  it('PROXY_TYPE=http with PROXY_HOST/PORT/USERNAME/PASSWORD carries the Poe traffic', async () => {
    const proxy = await FakeHttpProxy.start({ username: 'bridge', password: 'pa:ss' });
    const gateway = await gatewayFor({
      SYSTEM_TOKEN: 'poe-system-token',
      PROXY_TYPE: 'http',
      PROXY_HOST: '127.0.0.1',
      PROXY_PORT: String(proxy.port),
      PROXY_USERNAME: 'bridge',
      PROXY_PASSWORD: 'pa:ss',
    });
    try {
      const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'any', maxRetries: 0 });
      const answer = await client.chat.completions.create({ model: 'GPT-4o', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(answer.choices[0]?.message.content, 'Hello from GPT-4o');
      const chat = proxy.requests.filter((request) => request.accepted && request.target.endsWith('/v1/chat/completions'));
      assert.equal(chat.length, 1);
      assert.deepEqual(chat[0]?.credentials, { username: 'bridge', password: 'pa:ss' });
    } finally {
      await gateway.close();
      await proxy.close();
    }
  });

  it('PROXY_TYPE=socks goes through a SOCKS5 proxy', async () => {
    const proxy = await FakeSocks5Proxy.start({ username: 'bridge', password: 'secret' });
    const gateway = await gatewayFor({
      SYSTEM_TOKEN: 'poe-system-token',
      PROXY_TYPE: 'socks',
      PROXY_HOST: '127.0.0.1',
      PROXY_PORT: String(proxy.port),
      PROXY_USERNAME: 'bridge',
      PROXY_PASSWORD: 'secret',
    });
    try {
      const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'any', maxRetries: 0 });
      const answer = await client.chat.completions.create({ model: 'GPT-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
      let text = '';
      for await (const chunk of answer) text += chunk.choices[0]?.delta.content ?? '';
      assert.equal(text, 'Hello from GPT-4o');
      const port = Number(new URL(poe.baseUrl).port);
      assert.ok(proxy.connections.some((connection) => connection.accepted && connection.port === port && connection.username === 'bridge'));
    } finally {
      await gateway.close();
      await proxy.close();
    }
  });

  it('POE_PROTOCOL=bot speaks the bot protocol with the same variables: mapped names, bot names, counted usage, the SOCKS proxy', async () => {
    const proxy = await FakeSocks5Proxy.start({ username: 'bridge', password: 'secret' });
    const gateway = await gatewayFor({
      SYSTEM_TOKEN: 'poe-system-token',
      CUSTOM_TOKEN: 'ctok',
      MODEL_MAPPING: '{"gpt-4o-mini": "GPT-4o"}',
      POE_PROTOCOL: 'bot',
      POE_BASE_URL: poe.botBaseUrl,
      PROXY_TYPE: 'socks',
      PROXY_HOST: '127.0.0.1',
      PROXY_PORT: String(proxy.port),
      PROXY_USERNAME: 'bridge',
      PROXY_PASSWORD: 'secret',
    });
    try {
      poe.botCalls.length = 0;
      poe.openaiCalls.length = 0;
      poe.bot('GPT-4o', [{ event: 'text', data: { text: 'Bot answer from GPT-4o' } }]);
      poe.bot('Llama-3-70b', [{ event: 'text', data: { text: 'Bot answer from Llama' } }]);
      const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'ctok', maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let completionTokens: number | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
      }
      assert.equal(text, 'Bot answer from GPT-4o');
      assert.equal(completionTokens, countTokens(text));
      const ollama = new Ollama({ host: gateway.baseUrl, headers: { Authorization: 'Bearer ctok' } });
      const chat = await ollama.chat({ model: 'Llama-3-70b', messages: [{ role: 'user', content: 'hi' }], stream: false });
      assert.equal(chat.message.content, 'Bot answer from Llama');
      assert.deepEqual(
        poe.botCalls.map((call) => [call.bot, call.headers.authorization, call.body['version']]),
        [
          ['GPT-4o', 'Bearer poe-system-token', '1.2'],
          ['Llama-3-70b', 'Bearer poe-system-token', '1.2'],
        ],
      );
      assert.equal(poe.openaiCalls.length, 0, 'nothing went to the OpenAI-compatible API');
      const models = await client.models.list();
      assert.ok(models.data.some((model) => model.id === 'GPT-Image-1'), "the bots of Poe's /v1/models on the bot URL's origin");
      const port = Number(new URL(poe.baseUrl).port);
      assert.ok(proxy.connections.length >= 1 && proxy.connections.every((connection) => connection.accepted && connection.port === port && connection.username === 'bridge'));
    } finally {
      await gateway.close();
      await proxy.close();
    }
  });
});
