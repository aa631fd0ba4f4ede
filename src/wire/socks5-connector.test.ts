import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { after, before, describe, it } from 'node:test';
import { FakeSocks5Proxy } from '../../test-support/fake-socks5-proxy.ts';
import { FakeUpstreamServer } from '../../test-support/fake-upstream-server.ts';
import { LOOPBACK_CA, startLoopbackHttpsServer, type LoopbackHttpsServer } from './fixtures/start-loopback-https-server.ts';
import type { UpstreamHttpClient } from '../providers/shared/upstream-http-client.ts';
import { isGatewayError } from '../../test-support/assert-gateway-error.ts';
import { withUpstreamClient } from '../../test-support/with-upstream-client.ts';

async function getText(client: UpstreamHttpClient, url: string): Promise<string> {
  const response = await client.request({ url, method: 'GET', signal: new AbortController().signal });
  return response.body.text();
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('socks5:// and socks5h:// proxies', () => {
  let upstream: FakeUpstreamServer;
  let upstreamPort: number;
  let secureUpstream: LoopbackHttpsServer;
  before(async () => {
    upstream = await FakeUpstreamServer.start();
    upstreamPort = Number(new URL(upstream.baseUrl).port);
    upstream.json('GET', '/v1/models', 200, { data: ['m'] });
    // On whichever address "localhost" resolves to here, so both socks5 and socks5h reach it.
    const localhost = (await lookup('localhost')).address;
    secureUpstream = await startLoopbackHttpsServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`secure ${request.url ?? ''}`);
    }, localhost);
  });
  after(async () => {
    await upstream.close();
    await secureUpstream.close();
  });

  it('connects through a proxy without authentication, handing it the IP address', async () => {
    const proxy = await FakeSocks5Proxy.start();
    try {
      await withUpstreamClient({ proxy: proxy.url }, async (client) => {
        assert.equal(await getText(client, `${upstream.baseUrl}/v1/models`), '{"data":["m"]}');
      });
      assert.deepEqual(proxy.connections, [{ host: '127.0.0.1', port: upstreamPort, addressType: 'ipv4', accepted: true }]);
      assert.equal(upstream.lastCall('/v1/models')?.method, 'GET');
    } finally {
      await proxy.close();
    }
  });

  it('authenticates with the URL credentials (RFC 1929), percent-decoded', async () => {
    const proxy = await FakeSocks5Proxy.start({ username: 'user', password: 'p@ss:w/rd' });
    try {
      await withUpstreamClient({ proxy: proxy.urlWithCredentials('user', 'p@ss:w/rd') }, async (client) => {
        assert.equal(await getText(client, `${upstream.baseUrl}/v1/models`), '{"data":["m"]}');
      });
      assert.deepEqual(proxy.connections, [
        { host: '127.0.0.1', port: upstreamPort, addressType: 'ipv4', username: 'user', password: 'p@ss:w/rd', accepted: true },
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('fails as upstream, naming the proxy, when the credentials are refused', async () => {
    const proxy = await FakeSocks5Proxy.start({ username: 'user', password: 'right' });
    try {
      await withUpstreamClient({ proxy: proxy.urlWithCredentials('user', 'wrong') }, async (client) => {
        await assert.rejects(getText(client, `${upstream.baseUrl}/v1/models`), (error: unknown) => {
          isGatewayError('upstream', new RegExp(`through proxy 127\\.0\\.0\\.1:${proxy.port} failed: SOCKS5 handshake failed: .*auth`, 'i'))(error);
          assert.doesNotMatch((error as Error).message, /wrong/);
          return true;
        });
      });
      assert.deepEqual(proxy.connections.map((connection) => connection.accepted), [false]);
    } finally {
      await proxy.close();
    }
  });

  it('fails when the proxy demands credentials the URL does not have', async () => {
    const proxy = await FakeSocks5Proxy.start({ username: 'user', password: 'right' });
    try {
      await withUpstreamClient({ proxy: proxy.url }, async (client) => {
        await assert.rejects(getText(client, `${upstream.baseUrl}/v1/models`), isGatewayError('upstream', /SOCKS5 handshake failed/));
      });
    } finally {
      await proxy.close();
    }
  });

  it('socks5:// resolves the host name locally; socks5h:// lets the proxy resolve it', async () => {
    const proxy = await FakeSocks5Proxy.start();
    const localhost = await lookup('localhost');
    try {
      await withUpstreamClient({ proxy: proxy.url, ca: LOOPBACK_CA }, async (client) => {
        assert.equal(await getText(client, `https://localhost:${secureUpstream.port}/local`), 'secure /local');
      });
      await withUpstreamClient({ proxy: proxy.url.replace('socks5:', 'socks5h:'), ca: LOOPBACK_CA }, async (client) => {
        assert.equal(await getText(client, `https://localhost:${secureUpstream.port}/remote`), 'secure /remote');
      });
      assert.deepEqual(
        proxy.connections.map((connection) => [connection.addressType, connection.host]),
        [
          [localhost.family === 6 ? 'ipv6' : 'ipv4', localhost.family === 6 ? '0:0:0:0:0:0:0:1' : localhost.address],
          ['domain', 'localhost'],
        ],
      );
    } finally {
      await proxy.close();
    }
  });

  it('speaks TLS to https upstreams through the proxy, checks the certificate and keeps the connection', async () => {
    const proxy = await FakeSocks5Proxy.start();
    try {
      await withUpstreamClient({ proxy: proxy.url.replace('socks5:', 'socks5h:'), ca: LOOPBACK_CA }, async (client) => {
        assert.equal(await getText(client, `https://localhost:${secureUpstream.port}/one`), 'secure /one');
        await turn();
        assert.equal(await getText(client, `https://localhost:${secureUpstream.port}/two`), 'secure /two');
      });
      assert.equal(proxy.connections.length, 1);
      await withUpstreamClient({ proxy: proxy.url }, async (client) => {
        await assert.rejects(getText(client, `https://localhost:${secureUpstream.port}/x`), isGatewayError('upstream', /certificate/i));
      });
    } finally {
      await proxy.close();
    }
  });

  it('aborting mid-body through the proxy ends the upstream connection', async () => {
    const proxy = await FakeSocks5Proxy.start();
    upstream.on('POST', '/endless', async (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
      await new Promise<void>((resolve) => response.once('close', resolve));
    });
    try {
      await withUpstreamClient({ proxy: proxy.url }, async (client) => {
        const controller = new AbortController();
        const response = await client.request({ url: `${upstream.baseUrl}/endless`, method: 'POST', body: '{}', signal: controller.signal });
        await assert.rejects(
          (async () => {
            for await (const _chunk of response.body) controller.abort();
          })(),
          isGatewayError('canceled', /request canceled/),
        );
        assert.equal(await upstream.lastCall('/endless')?.aborted, true);
      });
    } finally {
      await proxy.close();
    }
  });

  it('times out as connect when the proxy never answers the greeting', async () => {
    const proxy = await FakeSocks5Proxy.start({ stallGreeting: true });
    try {
      await withUpstreamClient({ proxy: proxy.url, timeouts: { connectMs: 50 } }, async (client) => {
        await assert.rejects(
          getText(client, `${upstream.baseUrl}/v1/models`),
          isGatewayError('timeout', new RegExp(`^could not connect to 127\\.0\\.0\\.1:${upstreamPort} through proxy 127\\.0\\.0\\.1:${proxy.port} within 50 ms \\(connect timeout\\)$`)),
        );
      });
    } finally {
      await proxy.close();
    }
  });

  it('fails as upstream when the proxy cannot reach the upstream', async () => {
    const proxy = await FakeSocks5Proxy.start();
    const closed = await FakeUpstreamServer.start();
    const closedPort = Number(new URL(closed.baseUrl).port);
    await closed.close();
    try {
      await withUpstreamClient({ proxy: proxy.url }, async (client) => {
        await assert.rejects(
          getText(client, `http://127.0.0.1:${closedPort}/x`),
          isGatewayError('upstream', new RegExp(`^connection to 127\\.0\\.0\\.1:${closedPort} through proxy .*refused`, 'i')),
        );
      });
      assert.deepEqual(proxy.connections.map((connection) => connection.accepted), [false]);
    } finally {
      await proxy.close();
    }
  });

  it('fails as upstream when the proxy itself is unreachable', async () => {
    const proxy = await FakeSocks5Proxy.start();
    const proxyUrl = proxy.urlWithCredentials('user', 'secret-password');
    await proxy.close();
    await withUpstreamClient({ proxy: proxyUrl }, async (client) => {
      await assert.rejects(getText(client, `${upstream.baseUrl}/v1/models`), (error: unknown) => {
        isGatewayError('upstream', new RegExp(`^could not reach 127\\.0\\.0\\.1:${upstreamPort} through proxy 127\\.0\\.0\\.1:${proxy.port}: connection refused`))(error);
        assert.doesNotMatch((error as Error).message, /secret-password/);
        return true;
      });
    });
  });
});
