import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeHttpProxy } from '../../test-support/fake-http-proxy.ts';
import { FakeUpstreamServer } from '../../test-support/fake-upstream-server.ts';
import { LOOPBACK_CA, LOOPBACK_KEY, startLoopbackHttpsServer, type LoopbackHttpsServer } from './fixtures/start-loopback-https-server.ts';
import type { UpstreamHttpClient } from '../providers/shared/upstream-http-client.ts';
import { isGatewayError } from '../../test-support/assert-gateway-error.ts';
import { withUpstreamClient } from '../../test-support/with-upstream-client.ts';

async function getText(client: UpstreamHttpClient, url: string): Promise<{ status: number; text: string }> {
  const response = await client.request({ url, method: 'GET', signal: new AbortController().signal });
  return { status: response.status, text: await response.body.text() };
}

describe('http:// proxies (undici ProxyAgent)', () => {
  let upstream: FakeUpstreamServer;
  let secureUpstream: LoopbackHttpsServer;
  before(async () => {
    upstream = await FakeUpstreamServer.start();
    upstream.json('GET', '/v1/models', 200, { data: [] });
    upstream.json('POST', '/v1/chat/completions', 200, { ok: true });
    secureUpstream = await startLoopbackHttpsServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('secure hello');
    });
  });
  after(async () => {
    await upstream.close();
    await secureUpstream.close();
  });

  it('forwards plain-http requests to the proxy in absolute form', async () => {
    const proxy = await FakeHttpProxy.start();
    try {
      await withUpstreamClient({ proxy: proxy.url }, async (client) => {
        const response = await client.request({
          url: `${upstream.baseUrl}/v1/chat/completions`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-upstream' },
          body: '{"model":"m"}',
          signal: new AbortController().signal,
        });
        assert.deepEqual(await response.body.json(), { ok: true });
      });
      assert.deepEqual(
        proxy.requests.map((request) => [request.kind, request.method, request.target]),
        [['forward', 'POST', `${upstream.baseUrl}/v1/chat/completions`]],
      );
      const call = upstream.lastCall('/v1/chat/completions');
      assert.deepEqual(call?.json, { model: 'm' });
      assert.equal(call?.headers.authorization, 'Bearer sk-upstream');
    } finally {
      await proxy.close();
    }
  });

  it('tunnels https upstreams with CONNECT and keeps the tunnel alive for the next request', async () => {
    const proxy = await FakeHttpProxy.start();
    try {
      await withUpstreamClient({ proxy: proxy.url, ca: LOOPBACK_CA }, async (client) => {
        assert.deepEqual(await getText(client, `https://127.0.0.1:${secureUpstream.port}/first`), { status: 200, text: 'secure hello' });
        // A connection is free again one turn after its response ends.
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(await getText(client, `https://127.0.0.1:${secureUpstream.port}/second`), { status: 200, text: 'secure hello' });
      });
      assert.deepEqual(proxy.connectTargets, [`127.0.0.1:${secureUpstream.port}`]);
      assert.deepEqual(secureUpstream.requests.slice(-2), ['GET /first', 'GET /second']);
    } finally {
      await proxy.close();
    }
  });

  it('talks TLS to an https:// proxy, for CONNECT and forwarded requests', async () => {
    const proxy = await FakeHttpProxy.start({ tls: { key: LOOPBACK_KEY, cert: LOOPBACK_CA }, username: 'user', password: 'secret' });
    try {
      assert.match(proxy.url, /^https:/);
      await withUpstreamClient({ proxy: proxy.urlWithCredentials('user', 'secret'), ca: LOOPBACK_CA }, async (client) => {
        assert.deepEqual(await getText(client, `https://127.0.0.1:${secureUpstream.port}/x`), { status: 200, text: 'secure hello' });
        assert.equal((await getText(client, `${upstream.baseUrl}/v1/models`)).status, 200);
      });
      assert.deepEqual(
        proxy.requests.map((request) => [request.kind, request.accepted]),
        [
          ['connect', true],
          ['forward', true],
        ],
      );
      // Without the CA the proxy's own certificate is refused.
      await withUpstreamClient({ proxy: proxy.urlWithCredentials('user', 'secret') }, async (client) => {
        await assert.rejects(getText(client, `${upstream.baseUrl}/v1/models`), isGatewayError('upstream', /certificate/i));
      });
    } finally {
      await proxy.close();
    }
  });

  it('verifies the upstream certificate through the tunnel', async () => {
    const proxy = await FakeHttpProxy.start();
    try {
      await withUpstreamClient({ proxy: proxy.url }, async (client) => {
        await assert.rejects(getText(client, `https://127.0.0.1:${secureUpstream.port}/x`), isGatewayError('upstream', /certificate/i));
      });
    } finally {
      await proxy.close();
    }
  });

  it('sends the URL credentials as Proxy-Authorization, for CONNECT and forwarded requests', async () => {
    const proxy = await FakeHttpProxy.start({ username: 'user', password: 'p@ss:w/rd' });
    try {
      await withUpstreamClient({ proxy: proxy.urlWithCredentials('user', 'p@ss:w/rd'), ca: LOOPBACK_CA }, async (client) => {
        assert.equal((await getText(client, `${upstream.baseUrl}/v1/models`)).status, 200);
        assert.equal((await getText(client, `https://127.0.0.1:${secureUpstream.port}/x`)).text, 'secure hello');
      });
      assert.deepEqual(
        proxy.requests.map((request) => [request.kind, request.credentials, request.accepted]),
        [
          ['forward', { username: 'user', password: 'p@ss:w/rd' }, true],
          ['connect', { username: 'user', password: 'p@ss:w/rd' }, true],
        ],
      );
      // The forwarded request reached the upstream without the proxy's credentials.
      assert.equal(upstream.lastCall('/v1/models')?.headers['proxy-authorization'], undefined);
    } finally {
      await proxy.close();
    }
  });

  it('fails as upstream, naming the proxy, when the proxy refuses the credentials', async () => {
    const proxy = await FakeHttpProxy.start({ username: 'user', password: 'right' });
    try {
      await withUpstreamClient({ proxy: proxy.urlWithCredentials('user', 'wrong'), ca: LOOPBACK_CA }, async (client) => {
        await assert.rejects(
          getText(client, `https://127.0.0.1:${secureUpstream.port}/x`),
          isGatewayError('upstream', new RegExp(`^proxy 127\\.0\\.0\\.1:${proxy.port} refused the request to 127\\.0\\.0\\.1:${secureUpstream.port}: .*407`)),
        );
        await assert.rejects(getText(client, `${upstream.baseUrl}/v1/models`), isGatewayError('upstream', /407/));
      });
      assert.ok(proxy.requests.every((request) => !request.accepted));
      // The error message never shows the proxy password.
    } finally {
      await proxy.close();
    }
  });

  it('times out as connect when the proxy never answers CONNECT', async () => {
    const proxy = await FakeHttpProxy.start({ stallConnect: true });
    try {
      await withUpstreamClient({ proxy: proxy.url, ca: LOOPBACK_CA, timeouts: { connectMs: 50 } }, async (client) => {
        await assert.rejects(
          getText(client, `https://127.0.0.1:${secureUpstream.port}/x`),
          isGatewayError(
            'timeout',
            new RegExp(`^could not connect to 127\\.0\\.0\\.1:${secureUpstream.port} through proxy 127\\.0\\.0\\.1:${proxy.port} within 50 ms \\(connect timeout\\)$`),
          ),
        );
      });
      assert.deepEqual(proxy.connectTargets, [`127.0.0.1:${secureUpstream.port}`]);
    } finally {
      await proxy.close();
    }
  });

  it('fails as upstream when the proxy itself is unreachable', async () => {
    const proxy = await FakeHttpProxy.start();
    const proxyUrl = proxy.urlWithCredentials('user', 'secret-password');
    await proxy.close();
    await withUpstreamClient({ proxy: proxyUrl, ca: LOOPBACK_CA }, async (client) => {
      await assert.rejects(getText(client, `https://127.0.0.1:${secureUpstream.port}/x`), (error: unknown) => {
        isGatewayError('upstream', new RegExp(`through proxy 127\\.0\\.0\\.1:${proxy.port}: connection refused`))(error);
        assert.doesNotMatch((error as Error).message, /secret-password/);
        return true;
      });
    });
  });
});
