import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeHttpProxy } from '../../test-support/fake-http-proxy.ts';
import { FakeSocks5Proxy } from '../../test-support/fake-socks5-proxy.ts';
import { FakeUpstreamServer } from '../../test-support/fake-upstream-server.ts';
import { EnvironmentProxySettings } from './environment-proxy-settings.ts';
import { createUpstreamHttpClient } from '../providers/shared/upstream-http-client.ts';

function proxyFor(environment: Record<string, string | undefined>, url: string): string | undefined {
  return new EnvironmentProxySettings(environment).proxyFor(new URL(url));
}

describe('EnvironmentProxySettings', () => {
  it('uses no proxy when nothing is set or values are empty', () => {
    assert.equal(proxyFor({}, 'https://api.example.com/v1'), undefined);
    assert.equal(proxyFor({ HTTPS_PROXY: '', https_proxy: '  ' }, 'https://api.example.com/v1'), undefined);
  });

  it('picks HTTPS_PROXY for https and HTTP_PROXY for http, not the other way round', () => {
    const environment = { HTTPS_PROXY: 'http://secure-proxy:3128', HTTP_PROXY: 'http://plain-proxy:3128' };
    assert.equal(proxyFor(environment, 'https://api.example.com'), 'http://secure-proxy:3128');
    assert.equal(proxyFor(environment, 'http://api.example.com'), 'http://plain-proxy:3128');
    assert.equal(proxyFor({ HTTP_PROXY: 'http://plain-proxy:3128' }, 'https://api.example.com'), undefined);
  });

  it('prefers the lower-case spelling and falls back to ALL_PROXY', () => {
    assert.equal(proxyFor({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' }, 'https://a.example'), 'http://lower:1');
    assert.equal(proxyFor({ ALL_PROXY: 'socks5h://all:1080' }, 'https://a.example'), 'socks5h://all:1080');
    assert.equal(proxyFor({ all_proxy: 'socks5://all:1080' }, 'http://a.example'), 'socks5://all:1080');
  });

  it('reads a proxy without a scheme as http://', () => {
    assert.equal(proxyFor({ HTTPS_PROXY: 'proxy.corp:3128' }, 'https://a.example'), 'http://proxy.corp:3128');
  });

  it('bypasses hosts in NO_PROXY: exact, subdomains, leading dot or *.', () => {
    const environment = { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com, .internal.corp,*.lan' };
    assert.equal(proxyFor(environment, 'https://example.com'), undefined);
    assert.equal(proxyFor(environment, 'https://api.example.com'), undefined);
    assert.equal(proxyFor(environment, 'https://API.Example.COM.'), undefined);
    assert.equal(proxyFor(environment, 'https://x.internal.corp'), undefined);
    assert.equal(proxyFor(environment, 'https://internal.corp'), undefined);
    assert.equal(proxyFor(environment, 'https://printer.lan'), undefined);
    assert.equal(proxyFor(environment, 'https://notexample.com'), 'http://p:1');
    assert.equal(proxyFor(environment, 'https://example.com.evil'), 'http://p:1');
  });

  it('bypasses everything with *', () => {
    assert.equal(proxyFor({ HTTPS_PROXY: 'http://p:1', no_proxy: 'foo, *' }, 'https://anything.example'), undefined);
  });

  it('honours ports in NO_PROXY entries, defaulting to the scheme port', () => {
    const environment = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: 'local.test:8443,127.0.0.1:443' };
    assert.equal(proxyFor(environment, 'https://local.test:8443'), undefined);
    assert.equal(proxyFor(environment, 'https://local.test'), 'http://p:1');
    assert.equal(proxyFor(environment, 'https://127.0.0.1'), undefined);
    assert.equal(proxyFor(environment, 'http://127.0.0.1'), 'http://p:1');
  });

  it('matches IP addresses, CIDR ranges and IPv6 literals', () => {
    const environment = { HTTP_PROXY: 'http://p:1', NO_PROXY: '10.0.0.0/8,::1,[fd00::1]:8080,192.168.1.7' };
    assert.equal(proxyFor(environment, 'http://10.20.30.40:11434'), undefined);
    assert.equal(proxyFor(environment, 'http://11.0.0.1'), 'http://p:1');
    assert.equal(proxyFor(environment, 'http://[::1]:8080'), undefined);
    assert.equal(proxyFor(environment, 'http://[fd00::1]:8080'), undefined);
    assert.equal(proxyFor(environment, 'http://[fd00::1]:9090'), 'http://p:1');
    assert.equal(proxyFor(environment, 'http://192.168.1.7'), undefined);
    assert.equal(proxyFor(environment, 'http://192.168.1.8'), 'http://p:1');
  });

  it('ignores malformed CIDR entries rather than bypassing everything', () => {
    assert.equal(proxyFor({ HTTP_PROXY: 'http://p:1', NO_PROXY: '10.0.0.0/99,not-an-ip/8' }, 'http://10.1.1.1'), 'http://p:1');
  });

  it('lists the distinct proxies it may use', () => {
    const settings = new EnvironmentProxySettings({ HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' });
    assert.deepEqual(settings.configuredProxies, ['http://p:1']);
  });
});

describe('upstream HTTP client, proxies from the environment', () => {
  let upstream: FakeUpstreamServer;
  let httpProxy: FakeHttpProxy;
  before(async () => {
    upstream = await FakeUpstreamServer.start();
    upstream.json('GET', '/v1/models', 200, { data: [] });
    httpProxy = await FakeHttpProxy.start();
  });
  after(async () => {
    await upstream.close();
    await httpProxy.close();
  });

  async function fetchModels(options: Parameters<typeof createUpstreamHttpClient>[0]): Promise<number> {
    const client = createUpstreamHttpClient(options);
    try {
      const response = await client.request({ url: `${upstream.baseUrl}/v1/models`, method: 'GET', signal: new AbortController().signal });
      await response.body.drain();
      return response.status;
    } finally {
      await client.close();
    }
  }

  it('uses HTTP_PROXY for an http upstream', async () => {
    httpProxy.requests.length = 0;
    assert.equal(await fetchModels({ environment: { HTTP_PROXY: httpProxy.url } }), 200);
    assert.deepEqual(
      httpProxy.requests.map((request) => request.target),
      [`${upstream.baseUrl}/v1/models`],
    );
  });

  it('connects directly to hosts listed in NO_PROXY', async () => {
    httpProxy.requests.length = 0;
    const calls = upstream.calls.length;
    assert.equal(await fetchModels({ environment: { HTTP_PROXY: httpProxy.url, NO_PROXY: 'localhost,127.0.0.1' } }), 200);
    assert.deepEqual(httpProxy.requests, []);
    assert.equal(upstream.calls.length, calls + 1);
  });

  it('uses a SOCKS5 proxy named by ALL_PROXY', async () => {
    const socks = await FakeSocks5Proxy.start();
    try {
      assert.equal(await fetchModels({ environment: { all_proxy: socks.url } }), 200);
      assert.equal(socks.connections.length, 1);
    } finally {
      await socks.close();
    }
  });

  it("prefers the provider's own proxy to the environment", async () => {
    httpProxy.requests.length = 0;
    const socks = await FakeSocks5Proxy.start();
    try {
      assert.equal(await fetchModels({ proxy: socks.url, environment: { HTTP_PROXY: httpProxy.url } }), 200);
      assert.equal(socks.connections.length, 1);
      assert.deepEqual(httpProxy.requests, []);
    } finally {
      await socks.close();
    }
  });

  it('reads process.env when no environment is given', async () => {
    httpProxy.requests.length = 0;
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    try {
      delete process.env.http_proxy;
      delete process.env.no_proxy;
      delete process.env.NO_PROXY;
      process.env.HTTP_PROXY = httpProxy.url;
      assert.equal(await fetchModels({}), 200);
      assert.equal(httpProxy.requests.length, 1);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
