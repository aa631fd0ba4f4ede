import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeHttpProxy } from '../test-support/fake-http-proxy.ts';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { FakeSocks5Proxy } from '../test-support/fake-socks5-proxy.ts';
import { startTestGateway } from '../test-support/start-test-gateway.ts';

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
