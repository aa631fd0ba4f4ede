import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createUpstreamHttpClient, type UpstreamHttpClient, type UpstreamResponse } from './upstream-http-client.ts';
import { isGatewayError } from '../../../test-support/assert-gateway-error.ts';

/** A TCP server answering every request on a connection with `answer(socket)`; counts connections and closes. */
async function startRawServer(answer: (socket: Socket) => void): Promise<{ url: string; connections: () => number; closes: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let closes = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => {
      closes++;
      sockets.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    // One request per data event is enough for these tests: each request is small and sent whole.
    socket.on('data', () => answer(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`,
    connections: () => connections,
    closes: () => closes,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function chunked(parts: string[]): string {
  return parts.map((part) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`).join('') + '0\r\n\r\n';
}

const CHUNKED_HEAD = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('upstream response handler (the body without a Node stream)', () => {
  let client: UpstreamHttpClient;
  before(() => {
    client = createUpstreamHttpClient({ environment: {}, timeouts: { connectMs: 1000, firstByteMs: 2000, idleMs: 2000 } });
  });
  after(async () => {
    await client.close();
  });

  const get = (url: string, signal = new AbortController().signal): Promise<UpstreamResponse> => client.request({ url, method: 'GET', signal });

  it('decodes a body split over many network chunks once, dropping a UTF-8 BOM as undici did; bytes() keeps every byte', async () => {
    const word = 'известни 🙂';
    const bytes = Buffer.from('\uFEFF' + word);
    // The character split between writes, each write its own network chunk.
    const raw = await startRawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${bytes.length}\r\n\r\n`);
      let at = 0;
      const next = (): void => {
        if (at >= bytes.length) return;
        socket.write(bytes.subarray(at, at + 3));
        at += 3;
        setTimeout(next, 1);
      };
      next();
    });
    try {
      assert.equal(await (await get(raw.url)).body.text(), word);
      await turn();
      assert.deepEqual(Buffer.from(await (await get(raw.url)).body.bytes()), bytes);
    } finally {
      await raw.close();
    }
  });

  it('a body that is not JSON fails json() as an upstream error; reading a body twice fails loudly', async () => {
    const raw = await startRawServer((socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nnot {'));
    try {
      const response = await get(raw.url);
      await assert.rejects(response.body.json(), isGatewayError('upstream', /failed: .*JSON/));
      await assert.rejects(response.body.text(), isGatewayError('upstream', /already being read \(json\)/));
    } finally {
      await raw.close();
    }
  });

  it('skips interim 1xx answers and resolves at the real one', async () => {
    const raw = await startRawServer((socket) => socket.write('HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nx-one: a\r\nx-one: b\r\ncontent-length: 2\r\n\r\nok'));
    try {
      const response = await get(raw.url);
      assert.equal(response.status, 201);
      assert.deepEqual(response.headers['x-one'], ['a', 'b']);
      assert.equal(await response.body.text(), 'ok');
    } finally {
      await raw.close();
    }
  });

  it('a signal that has already fired fails the request without connecting', async () => {
    const raw = await startRawServer(() => undefined);
    try {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(get(raw.url, controller.signal), isGatewayError('canceled', /request canceled/));
      await sleep(20);
      assert.equal(raw.connections(), 0);
    } finally {
      await raw.close();
    }
  });

  it('a body that broke before anyone read it fails the later read (and nothing is unhandled meanwhile)', async () => {
    const raw = await startRawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
      setTimeout(() => socket.destroy(), 5);
    });
    try {
      const response = await get(raw.url);
      await sleep(40);
      await assert.rejects(response.body.text(), isGatewayError('upstream', /connection to 127\.0\.0\.1:\d+ failed/));
    } finally {
      await raw.close();
    }
  });

  it('pauses the connection while unread chunks pile up, and resumes it when the reader catches up', async () => {
    const TOTAL = 256 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    const raw = await startRawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${TOTAL}\r\n\r\n`);
      const pump = (): void => {
        while (written < TOTAL) {
          written += piece.length;
          if (!socket.write(piece)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    try {
      const response = await get(raw.url);
      const iterator = response.body.chunks()[Symbol.asyncIterator]();
      await iterator.next();
      await sleep(100);
      const before = written;
      await sleep(100);
      // Unpaused, the client would go on taking the body as fast as loopback carries it.
      assert.equal(written, before, 'the upstream went on writing while nobody read');
      assert.ok(written < TOTAL);
      let read = 0;
      while (read < 8 * 1024 * 1024) read += ((await iterator.next()).value as Uint8Array).length;
      await sleep(50);
      assert.ok(written > before, 'reading resumed the connection');
      response.body.destroy();
    } finally {
      await raw.close();
    }
  });

  it('hands a chunk reader what one network read brought as one chunk, however many HTTP chunks it held', async () => {
    let socketOf: Socket | undefined;
    const raw = await startRawServer((socket) => {
      socketOf = socket;
      socket.write(CHUNKED_HEAD + chunked(['data: 1\n\n', 'data: 2\n\n']).replace(/0\r\n\r\n$/, ''));
    });
    try {
      const response = await get(raw.url);
      await sleep(20);
      const iterator = response.body.chunks()[Symbol.asyncIterator]();
      // Queued before anyone read: one chunk.
      assert.equal(Buffer.from((await iterator.next()).value as Uint8Array).toString(), 'data: 1\n\ndata: 2\n\n');
      // Arriving while the reader waits: one chunk, then the end.
      const pending = iterator.next();
      socketOf?.write(chunked(['data: 3\n\n', 'data: 4\n\n', 'data: 5\n\n']));
      assert.equal(Buffer.from((await pending).value as Uint8Array).toString(), 'data: 3\n\ndata: 4\n\ndata: 5\n\n');
      assert.equal((await iterator.next()).done, true);
    } finally {
      await raw.close();
    }
  });

  it('drain() reads what is left and reuses the connection, even after a stream longer than the limit', async () => {
    const parts = Array.from({ length: 20 }, (_, index) => `data: ${index} ${'x'.repeat(100)}\n\n`);
    const raw = await startRawServer((socket) => {
      socket.write(CHUNKED_HEAD + chunked(parts).replace(/0\r\n\r\n$/, ''));
      // The last event and the end come later, after the reader stopped: that is what the drain reads.
      setTimeout(() => socket.write(chunked(['data: [DONE]\n\n'])), 10);
    });
    try {
      for (let i = 0; i < 2; i++) {
        await turn();
        const response = await get(raw.url);
        const iterator = response.body.chunks()[Symbol.asyncIterator]();
        await iterator.next();
        await iterator.return?.();
        // Far more than 100 bytes came before; what is left after this point is what counts.
        await response.body.drain({ limitBytes: 1000 });
      }
      assert.equal(raw.connections(), 1);
      assert.equal(raw.closes(), 0);
    } finally {
      await raw.close();
    }
  });

  it('drain() closes the connection instead when more than the limit is left, or its deadline passes', async () => {
    const long = await startRawServer((socket) => socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n${'y'.repeat(100)}`));
    const stalls = await startRawServer((socket) => socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n${'z'.repeat(10)}`));
    try {
      await (await get(long.url)).body.drain({ limitBytes: 1000 });
      const response = await get(stalls.url);
      await response.body.drain({ limitBytes: 1000, signal: AbortSignal.timeout(20) });
      await sleep(20);
      assert.equal(long.closes(), 1);
      assert.equal(stalls.closes(), 1);
    } finally {
      await long.close();
      await stalls.close();
    }
  });

  it('destroy() closes the connection and fails a pending read as canceled; a for-await break does the same', async () => {
    const raw = await startRawServer((socket) => socket.write(CHUNKED_HEAD + `5\r\nfirst\r\n`));
    try {
      const response = await get(raw.url);
      const iterator = response.body.chunks()[Symbol.asyncIterator]();
      assert.equal(Buffer.from((await iterator.next()).value as Uint8Array).toString(), 'first');
      const pending = iterator.next();
      response.body.destroy();
      await assert.rejects(pending, isGatewayError('canceled', /request canceled/));
      response.body.destroy();
      const second = await get(raw.url);
      for await (const chunk of second.body) {
        assert.equal(Buffer.from(chunk).toString(), 'first');
        break;
      }
      await sleep(20);
      assert.equal(raw.closes(), 2);
    } finally {
      await raw.close();
    }
  });

  it('the signal firing mid-drain closes the connection and the drain still resolves', async () => {
    const raw = await startRawServer((socket) => socket.write(CHUNKED_HEAD + `5\r\nfirst\r\n`));
    try {
      const controller = new AbortController();
      const response = await get(raw.url, controller.signal);
      const drained = response.body.drain();
      controller.abort();
      await drained;
      await sleep(20);
      assert.equal(raw.closes(), 1);
    } finally {
      await raw.close();
    }
  });

  it('a drained answer adds its whole wait to the clock; a destroyed one adds nothing', async () => {
    const raw = await startRawServer((socket) => {
      socket.write(CHUNKED_HEAD + '2\r\n{}\r\n');
      setTimeout(() => socket.write('0\r\n\r\n'), 30);
    });
    try {
      const drainedWait = { ms: 0, reported: false };
      const drained = await client.request({ url: raw.url, method: 'GET', signal: new AbortController().signal, wait: drainedWait });
      await drained.body.drain();
      assert.equal(drainedWait.reported, true);
      assert.ok(drainedWait.ms >= 29, `wait ${drainedWait.ms} ms`);
      const destroyedWait = { ms: 0, reported: false };
      const destroyed = await client.request({ url: raw.url, method: 'GET', signal: new AbortController().signal, wait: destroyedWait });
      destroyed.body.destroy();
      assert.deepEqual(destroyedWait, { ms: 0, reported: false });
    } finally {
      await raw.close();
    }
  });
});
