import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { createLogger } from '../src/observability/create-logger.ts';
import { createPoeProvider } from '../src/providers/poe/create-poe-provider.ts';
import type { CallContext } from '../src/providers/provider-adapter.ts';
import { LOOPBACK_CA, LOOPBACK_KEY } from '../src/wire/fixtures/start-loopback-https-server.ts';
import { createUpstreamHttpClient } from '../src/providers/shared/upstream-http-client.ts';
import { FakeHttpProxy } from '../test-support/fake-http-proxy.ts';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { FakeSocks5Proxy } from '../test-support/fake-socks5-proxy.ts';
import { startTestGateway } from '../test-support/start-test-gateway.ts';
import { responseText } from '../src/canonical/chat-response.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** Chat, an image upload and an image download through llmux; every one must reach Poe. */
async function exercise(baseUrl: string, poe: FakePoeServer): Promise<void> {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  const answer = await client.chat.completions.create({
    model: 'poe/ProxyBot',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } }] }],
  });
  assert.equal(answer.choices[0]?.message.content, 'through the proxy');
  const image = await client.images.generate({ model: 'poe/ProxyImageBot', prompt: 'x', response_format: 'b64_json' });
  assert.equal(image.data?.[0]?.b64_json, PNG.toString('base64'));
  assert.equal(poe.uploads.length, 1);
}

describe('Poe through the configured proxy', () => {
  let poe: FakePoeServer;
  before(async () => {
    poe = await FakePoeServer.start();
  });
  after(() => poe.close());

  function scriptBots(): void {
    poe.reset();
    poe.bot('ProxyBot', [{ event: 'text', data: { text: 'through the proxy' } }]);
    const url = poe.addFile('p.png', PNG, 'image/png');
    poe.bot('ProxyImageBot', [{ event: 'file', data: { url, content_type: 'image/png', name: 'p.png' } }]);
  }

  it('an HTTP proxy with credentials carries the bot calls, the upload and the image download', async () => {
    const proxy = await FakeHttpProxy.start({ username: 'user', password: 'p@ss' });
    const gateway = await startTestGateway({
      providers: [
        { id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl, proxy: proxy.urlWithCredentials('user', 'p@ss') },
      ],
    });
    try {
      scriptBots();
      await exercise(gateway.baseUrl, poe);
      const host = new URL(poe.baseUrl).host;
      const accepted = proxy.requests.filter((request) => request.accepted);
      assert.ok(accepted.length >= 1, 'the proxy saw the traffic');
      for (const request of accepted) {
        assert.ok(request.target.includes(host), `proxied to Poe: ${request.target}`);
        assert.deepEqual(request.credentials, { username: 'user', password: 'p@ss' });
      }
      // Plain-http requests go to the proxy in absolute form, one each: every request Poe
      // received (bot calls, upload, download) came through the proxy, none went around it.
      assert.deepEqual(
        accepted.map((request) => `${request.method} ${new URL(request.target).pathname}`).sort(),
        poe.requests.map((request) => `${request.method} ${request.path}`).sort(),
      );
    } finally {
      await gateway.close();
      await proxy.close();
    }
  });

  it('a SOCKS5 proxy with credentials carries the same traffic', async () => {
    const proxy = await FakeSocks5Proxy.start({ username: 'sock', password: 'secret' });
    const connectionsBefore = poe.connections;
    const gateway = await startTestGateway({
      providers: [
        { id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl, proxy: proxy.urlWithCredentials('sock', 'secret') },
      ],
    });
    try {
      scriptBots();
      await exercise(gateway.baseUrl, poe);
      const port = Number(new URL(poe.baseUrl).port);
      const accepted = proxy.connections.filter((connection) => connection.accepted);
      assert.ok(accepted.length >= 1, 'the proxy saw the traffic');
      for (const connection of accepted) {
        assert.deepEqual([connection.host, connection.port, connection.username], ['127.0.0.1', port, 'sock']);
      }
      assert.equal(poe.connections - connectionsBefore, accepted.length, 'every connection Poe accepted came through the proxy');
    } finally {
      await gateway.close();
      await proxy.close();
    }
  });

  it('a proxy that refuses the credentials is a clear upstream error, not a hang', async () => {
    const proxy = await FakeHttpProxy.start({ username: 'user', password: 'right' });
    const gateway = await startTestGateway({
      providers: [{ id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, proxy: proxy.urlWithCredentials('user', 'wrong') }],
    });
    try {
      scriptBots();
      const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
      await assert.rejects(client.chat.completions.create({ model: 'poe/ProxyBot', messages: [{ role: 'user', content: 'hi' }] }), (error: { status?: number }) => {
        assert.ok(error.status !== undefined && error.status >= 400, `status ${String(error.status)}`);
        return true;
      });
      assert.equal(poe.botCalls.length, 0);
    } finally {
      await gateway.close();
      await proxy.close();
    }
  });
});

/**
 * The real Poe is https, so an HTTP proxy carries it in CONNECT tunnels. Through the provider
 * itself, trusting the loopback certificate: the bot call, the upload and the image download all
 * go through the tunnel (or the SOCKS5 proxy), and Poe accepts no connection that did not.
 */
describe('Poe over https through the configured proxy', () => {
  let poe: FakePoeServer;
  const log = createLogger('silent');
  const context: CallContext = { signal: new AbortController().signal, requestId: 'test', log };
  before(async () => {
    poe = await FakePoeServer.start({ tls: { key: LOOPBACK_KEY, cert: LOOPBACK_CA } });
  });
  after(() => poe.close());

  async function exerciseProvider(proxyUrl: string): Promise<void> {
    poe.reset();
    poe.bot('ProxyBot', [{ event: 'text', data: { text: 'tunnelled' } }]);
    const url = poe.addFile('t.png', PNG, 'image/png');
    poe.bot('ProxyImageBot', [{ event: 'file', data: { url, content_type: 'image/png', name: 't.png', inline_ref: null } }]);
    const httpClient = createUpstreamHttpClient({ proxy: proxyUrl, ca: LOOPBACK_CA, environment: {} });
    const config = { id: 'poe', type: 'poe' as const, protocol: 'bot' as const, api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl };
    const provider = createPoeProvider({ config, httpClient, log });
    try {
      const image = { type: 'image' as const, source: { kind: 'base64' as const, mediaType: 'image/png', data: PNG.toString('base64') } };
      const answer = await provider.completeChat({ model: 'ProxyBot', stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }, image] }] }, context);
      assert.equal(responseText(answer), 'tunnelled');
      const generated = await provider.generateImages?.({ model: 'ProxyImageBot', prompt: 'x', n: 1, responseFormat: 'b64_json' }, context);
      assert.equal(generated?.images[0]?.b64Json, PNG.toString('base64'));
    } finally {
      await provider.close();
    }
    assert.deepEqual(
      poe.requests.map((request) => `${request.method} ${request.path}`),
      // The image bot is asked for its settings (parameter controls) once, then queried.
      ['POST /poe_api/file_upload_3RD_PARTY_POST', 'POST /bot/ProxyBot', 'POST /bot/ProxyImageBot', 'POST /bot/ProxyImageBot', `GET ${new URL(url).pathname}`],
    );
  }

  it('an HTTP proxy tunnels the bot calls, the upload and the image download with CONNECT', async () => {
    const proxy = await FakeHttpProxy.start({ username: 'user', password: 'p@ss' });
    const connectionsBefore = poe.connections;
    try {
      await exerciseProvider(proxy.urlWithCredentials('user', 'p@ss'));
      const target = `127.0.0.1:${new URL(poe.baseUrl).port}`;
      assert.ok(proxy.requests.length >= 1);
      assert.deepEqual(
        [...new Set(proxy.requests.map((request) => `${request.kind} ${request.target} ${request.credentials?.username ?? '-'} ${String(request.accepted)}`))],
        [`connect ${target} user true`],
      );
      assert.equal(poe.connections - connectionsBefore, proxy.requests.length, 'every connection Poe accepted was a tunnel');
    } finally {
      await proxy.close();
    }
  });

  it('a SOCKS5 proxy carries the same https traffic', async () => {
    const proxy = await FakeSocks5Proxy.start({ username: 'sock', password: 'secret' });
    const connectionsBefore = poe.connections;
    try {
      await exerciseProvider(proxy.urlWithCredentials('sock', 'secret'));
      const accepted = proxy.connections.filter((connection) => connection.accepted);
      assert.ok(accepted.length >= 1);
      assert.equal(poe.connections - connectionsBefore, proxy.connections.length, 'every connection Poe accepted came through the proxy');
      assert.ok(accepted.every((connection) => connection.port === Number(new URL(poe.baseUrl).port) && connection.username === 'sock'));
    } finally {
      await proxy.close();
    }
  });
});
