import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { FakeUpstreamServer } from '../../../test-support/fake-upstream-server.ts';
import { FakeHttpProxy } from '../../../test-support/fake-http-proxy.ts';
import { FakeSocks5Proxy } from '../../../test-support/fake-socks5-proxy.ts';
import { createUpstreamHttpClient, headerValue, type UpstreamHttpClient } from './upstream-http-client.ts';
import { isGatewayError } from '../../../test-support/assert-gateway-error.ts';
import { collectGarbage } from '../../../test-support/collect-garbage.ts';

const NO_ENVIRONMENT = {};

/** A TCP server that accepts connections and does whatever `onSocket` says; counts connections. */
async function startRawServer(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += Buffer.from(chunk).toString('utf8');
  return text;
}

describe('upstream HTTP client, direct', () => {
  let upstream: FakeUpstreamServer;
  let client: UpstreamHttpClient;
  before(async () => {
    upstream = await FakeUpstreamServer.start();
    client = createUpstreamHttpClient({ environment: NO_ENVIRONMENT, timeouts: { connectMs: 1000, firstByteMs: 50, idleMs: 50 } });
  });
  after(async () => {
    await client.close();
    await upstream.close();
  });

  it('sends method, path, query, headers and body and returns status, headers and body', async () => {
    upstream.json('POST', '/v1/chat', 201, { ok: 'известни' }, { 'x-request-id': 'abc' });
    const response = await client.request({
      url: `${upstream.baseUrl}/v1/chat?stream=1`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify({ hello: 'world' }),
      signal: new AbortController().signal,
    });
    assert.equal(response.status, 201);
    assert.equal(headerValue(response.headers, 'x-request-id'), 'abc');
    assert.deepEqual(await response.body.json(), { ok: 'известни' });
    const call = upstream.lastCall('/v1/chat');
    assert.equal(call?.headers.authorization, 'Bearer sk-test');
    assert.deepEqual(call?.json, { hello: 'world' });
  });

  it('sends a large body whole, with its length in bytes, and keeps no copy of it while the answer streams', async (t) => {
    // 6 MB of text with multi-byte characters: its length in bytes is not its length in characters.
    const text = JSON.stringify({ messages: Array.from({ length: 20_000 }, (_, index) => ({ role: 'user', content: `turn ${index}: ☃ ${'x'.repeat(280)}` })) });
    let received = '';
    let contentLength: string | undefined;
    let transferEncoding: string | undefined;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    upstream.on('POST', '/v1/large', async (call, response) => {
      received = call.body;
      contentLength = call.headers['content-length'];
      transferEncoding = call.headers['transfer-encoding'];
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
      await released;
      response.end('data: 2\n\n');
    });
    // This suite's client times out after 50 ms of silence; collecting takes about that long.
    const patient = createUpstreamHttpClient({ environment: NO_ENVIRONMENT });
    t.after(() => patient.close());
    await collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    const response = await patient.request({ url: `${upstream.baseUrl}/v1/large`, method: 'POST', headers: { 'content-type': 'application/json' }, body: text, signal: new AbortController().signal });
    const chunks = response.body[Symbol.asyncIterator]();
    assert.equal(Buffer.from((await chunks.next()).value as Uint8Array).toString('utf8'), 'data: 1\n\n');
    await collectGarbage();
    const held = process.memoryUsage().arrayBuffers - before;
    release();
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next());
    assert.equal(received, text);
    assert.equal(contentLength, String(Buffer.byteLength(text)));
    assert.equal(transferEncoding, undefined);
    assert.ok(held < Buffer.byteLength(text) / 2, `${held} bytes held outside the heap while the answer streams, for a body of ${Buffer.byteLength(text)}`);
  });

  it('keeps none of the raw header bytes while the answer streams (they would hold the network read they came in)', async (t) => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    upstream.on('POST', '/v1/held', async (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-one': 'a', 'x-two': 'b' });
      response.write('data: 1\n\n');
      await released;
      response.end('data: 2\n\n');
    });
    // undici publishes the raw header Buffers it keeps; only weak references are taken here.
    let rawHeaders: WeakRef<object> | undefined;
    let readBytes: WeakRef<object> | undefined;
    const onHeaders = (message: unknown): void => {
      const headers = (message as { response: { headers: unknown } }).response.headers;
      if (!Array.isArray(headers) || !Buffer.isBuffer(headers[0])) return;
      rawHeaders = new WeakRef(headers);
      readBytes = new WeakRef((headers[0] as Buffer).buffer);
    };
    diagnostics.subscribe('undici:request:headers', onHeaders);
    t.after(() => diagnostics.unsubscribe('undici:request:headers', onHeaders));
    const patient = createUpstreamHttpClient({ environment: NO_ENVIRONMENT });
    t.after(() => patient.close());
    const response = await patient.request({ url: `${upstream.baseUrl}/v1/held`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: new AbortController().signal });
    assert.equal(headerValue(response.headers, 'x-two'), 'b');
    const chunks = response.body[Symbol.asyncIterator]();
    assert.equal(Buffer.from((await chunks.next()).value as Uint8Array).toString('utf8'), 'data: 1\n\n');
    assert.ok(rawHeaders !== undefined && readBytes !== undefined, 'undici published the raw headers');
    await collectGarbage();
    const headersHeld = rawHeaders.deref() !== undefined;
    const readHeld = readBytes.deref() !== undefined;
    release();
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next());
    assert.equal(headersHeld, false, 'the raw header Buffers are kept while the answer streams');
    assert.equal(readHeld, false, 'the network read the headers came in is kept while the answer streams');
  });

  it('sends a large body whole through an HTTP proxy and a SOCKS5 proxy', async () => {
    const text = JSON.stringify({ input: `${'☃ '.repeat(20_000)}end` });
    upstream.on('POST', '/v1/proxied', (call, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ bytes: Buffer.byteLength(call.body), same: call.body === text }));
    });
    for (const proxy of [await FakeHttpProxy.start(), await FakeSocks5Proxy.start()]) {
      const proxied = createUpstreamHttpClient({ environment: NO_ENVIRONMENT, proxy: proxy.url });
      try {
        const response = await proxied.request({ url: `${upstream.baseUrl}/v1/proxied`, method: 'POST', headers: { 'content-type': 'application/json' }, body: text, signal: new AbortController().signal });
        assert.deepEqual(await response.body.json(), { bytes: Buffer.byteLength(text), same: true }, proxy.url);
        assert.equal((proxy instanceof FakeHttpProxy ? proxy.requests : proxy.connections).length, 1, `${proxy.url} carried the request`);
      } finally {
        await proxied.close();
        await proxy.close();
      }
    }
  });

  it('streams the body chunk by chunk', async () => {
    upstream.chunks('GET', '/stream', ['data: 1\n\n', 'data: 2\n\n'], { delayMs: 2 });
    const response = await client.request({ url: `${upstream.baseUrl}/stream`, method: 'GET', signal: new AbortController().signal });
    assert.equal(await readAll(response.body), 'data: 1\n\ndata: 2\n\n');
  });

  it('fails with a first-byte timeout naming the host when the headers do not come', async () => {
    upstream.on('POST', '/silent', () => new Promise<void>(() => {}));
    await assert.rejects(
      client.request({ url: `${upstream.baseUrl}/silent`, method: 'POST', body: '{}', signal: new AbortController().signal }),
      isGatewayError('timeout', /^127\.0\.0\.1:\d+ sent no response within 50 ms \(first-byte timeout\)$/),
    );
  });

  it('fails the body with an idle timeout when the upstream stops sending', async () => {
    upstream.on('GET', '/stalls', (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
    });
    const response = await client.request({ url: `${upstream.baseUrl}/stalls`, method: 'GET', signal: new AbortController().signal });
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of response.body) seen.push(Buffer.from(chunk).toString('utf8'));
      })(),
      isGatewayError('timeout', /^127\.0\.0\.1:\d+ sent nothing for 50 ms in the middle of the response \(idle timeout\)$/),
    );
    assert.deepEqual(seen, ['data: first\n\n']);
  });

  it('maps an idle timeout also for text()', async () => {
    upstream.on('GET', '/stalls-text', (_call, response) => {
      response.writeHead(200);
      response.write('partial');
    });
    const response = await client.request({ url: `${upstream.baseUrl}/stalls-text`, method: 'GET', signal: new AbortController().signal });
    await assert.rejects(response.body.text(), isGatewayError('timeout', /idle timeout/));
  });

  it('cancels before the response: kind canceled, and the upstream sees the connection close', async () => {
    upstream.on('POST', '/slow', () => new Promise<void>(() => {}));
    const controller = new AbortController();
    const pending = client.request({ url: `${upstream.baseUrl}/slow`, method: 'POST', body: '{}', signal: controller.signal });
    while (upstream.lastCall('/slow') === undefined) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await assert.rejects(pending, isGatewayError('canceled', /request canceled/));
    assert.equal(await upstream.lastCall('/slow')?.aborted, true);
  });

  it('aborting mid-body ends the upstream connection and fails the read as canceled', async () => {
    upstream.on('POST', '/endless', async (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
      await new Promise<void>((resolve) => response.once('close', resolve));
    });
    const client2 = createUpstreamHttpClient({ environment: NO_ENVIRONMENT });
    try {
      const controller = new AbortController();
      const response = await client2.request({ url: `${upstream.baseUrl}/endless`, method: 'POST', body: '{}', signal: controller.signal });
      await assert.rejects(
        (async () => {
          for await (const chunk of response.body) {
            assert.equal(Buffer.from(chunk).toString('utf8'), 'data: 1\n\n');
            controller.abort();
          }
        })(),
        isGatewayError('canceled', /request canceled/),
      );
      assert.equal(await upstream.lastCall('/endless')?.aborted, true);
    } finally {
      await client2.close();
    }
  });

  it('an abort reason that is a GatewayError is kept', async () => {
    const controller = new AbortController();
    controller.abort(new GatewayError('timeout', 'the whole request took too long'));
    await assert.rejects(
      client.request({ url: `${upstream.baseUrl}/anything`, method: 'GET', signal: controller.signal }),
      isGatewayError('timeout', /^the whole request took too long$/),
    );
  });

  it('reuses one keep-alive connection for consecutive requests', async () => {
    const raw = await startRawServer((socket) => {
      socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
    });
    try {
      for (let i = 0; i < 3; i++) {
        // undici's pool marks a connection free one turn after its response ends; a request sent
        // sooner would open a second connection.
        await new Promise((resolve) => setImmediate(resolve));
        const response = await client.request({ url: `http://127.0.0.1:${raw.port}/x`, method: 'GET', signal: new AbortController().signal });
        assert.equal(await response.body.text(), 'ok');
      }
      assert.equal(raw.connections(), 1);
    } finally {
      await raw.close();
    }
  });

  it('adds to the wait clock from dispatch to the last body byte, and nothing of what the caller does after', async () => {
    const BODY_DELAY_MS = 40;
    const raw = await startRawServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
        setTimeout(() => socket.write('2\r\n{}\r\n0\r\n\r\n'), BODY_DELAY_MS);
      });
    });
    try {
      const wait = { ms: 0, reported: false };
      const startedAt = performance.now();
      const response = await client.request({ url: `http://127.0.0.1:${raw.port}/x`, method: 'POST', body: '{}', signal: new AbortController().signal, wait });
      assert.equal(wait.reported, false, 'the body is not read yet');
      assert.deepEqual(await response.body.json(), {});
      assert.equal(wait.reported, true);
      // The body came BODY_DELAY_MS after the headers: that is waiting on the upstream.
      assert.ok(wait.ms >= BODY_DELAY_MS - 1, `wait ${wait.ms} ms`);
      // Work after the read (parsing, converting) is not: the clock stopped with the last byte.
      const readAt = performance.now();
      while (performance.now() - readAt < BODY_DELAY_MS) {
        // busy, as a conversion would be
      }
      assert.ok(wait.ms <= performance.now() - startedAt - BODY_DELAY_MS, `wait ${wait.ms} ms`);
    } finally {
      await raw.close();
    }
  });

  it('counts a streamed body only up to its headers', async () => {
    upstream.chunks('GET', '/stream-wait', ['data: 1\n\n', 'data: 2\n\n'], { delayMs: 30 });
    const wait = { ms: 0, reported: false };
    const response = await client.request({ url: `${upstream.baseUrl}/stream-wait`, method: 'GET', signal: new AbortController().signal, wait });
    const iterated = response.body.chunks();
    assert.equal(wait.reported, true);
    const atHeaders = wait.ms;
    assert.equal(await readAll(iterated), 'data: 1\n\ndata: 2\n\n');
    assert.equal(wait.ms, atHeaders, 'chunk waits are not added here (the dispatcher times streams to their first output)');
  });
});

describe('upstream HTTP client, failures to connect', () => {
  it('connection refused → upstream (retryable), naming the host', async () => {
    const raw = await startRawServer(() => {});
    const port = raw.port;
    await raw.close();
    const client = createUpstreamHttpClient({ environment: NO_ENVIRONMENT });
    try {
      await assert.rejects(
        client.request({ url: `http://127.0.0.1:${port}/v1/models`, method: 'GET', signal: new AbortController().signal }),
        (error: unknown) => {
          isGatewayError('upstream', new RegExp(`^could not reach 127\\.0\\.0\\.1:${port}: connection refused`))(error);
          assert.equal((error as GatewayError).retryable, true);
          assert.equal((error as GatewayError).status, 502);
          return true;
        },
      );
    } finally {
      await client.close();
    }
  });

  it('connection reset before the response → upstream, naming the host', async () => {
    const raw = await startRawServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const client = createUpstreamHttpClient({ environment: NO_ENVIRONMENT });
    try {
      await assert.rejects(
        client.request({ url: `http://127.0.0.1:${raw.port}/x`, method: 'POST', body: '{}', signal: new AbortController().signal }),
        isGatewayError('upstream', new RegExp(`^connection to 127\\.0\\.0\\.1:${raw.port} failed: connection reset`)),
      );
    } finally {
      await client.close();
      await raw.close();
    }
  });

  it('a connection closed in the middle of the body fails the read as upstream', async () => {
    const raw = await startRawServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
        setImmediate(() => socket.destroy());
      });
    });
    const client = createUpstreamHttpClient({ environment: NO_ENVIRONMENT });
    try {
      const response = await client.request({ url: `http://127.0.0.1:${raw.port}/x`, method: 'GET', signal: new AbortController().signal });
      await assert.rejects(response.body.text(), isGatewayError('upstream', new RegExp(`^connection to 127\\.0\\.0\\.1:${raw.port} failed`)));
    } finally {
      await client.close();
      await raw.close();
    }
  });

  it('connect timeout → timeout, naming the host and the phase (TLS handshake never answered)', async () => {
    const raw = await startRawServer(() => {});
    const client = createUpstreamHttpClient({ environment: NO_ENVIRONMENT, timeouts: { connectMs: 50 } });
    try {
      await assert.rejects(
        client.request({ url: `https://127.0.0.1:${raw.port}/x`, method: 'GET', signal: new AbortController().signal }),
        isGatewayError('timeout', new RegExp(`^could not connect to 127\\.0\\.0\\.1:${raw.port} within 50 ms \\(connect timeout\\)$`)),
      );
    } finally {
      await client.close();
      await raw.close();
    }
  });

  it('refuses requests after close()', async () => {
    const client = createUpstreamHttpClient({ environment: NO_ENVIRONMENT });
    await client.close();
    await assert.rejects(
      client.request({ url: 'http://127.0.0.1:9/x', method: 'GET', signal: new AbortController().signal }),
      isGatewayError('internal', /closed/),
    );
  });

  it('rejects an unsupported proxy scheme when created', () => {
    assert.throws(() => createUpstreamHttpClient({ proxy: 'ftp://127.0.0.1:21' }), isGatewayError('internal', /unsupported proxy scheme 'ftp:'/));
  });
});
