import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { requestArrival } from './request-arrival.ts';

describe('requestArrival', () => {
  let server: Server;
  let port: number;
  const arrivals: number[] = [];
  before(async () => {
    server = createServer((message: IncomingMessage, response) => {
      arrivals.push(requestArrival.of(message));
      message.resume();
      message.once('end', () => response.end('ok'));
    });
    requestArrival.watch(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  /** Sends the start of a request, waits, then the rest; returns when the answer's first bytes are back. */
  async function splitRequest(socket: Socket): Promise<{ between: number }> {
    socket.write('POST /x HTTP/1.1\r\nhost: a\r\n');
    // The first bytes are read while this process sleeps (it has nothing else to do).
    await sleep(30);
    const between = performance.now();
    socket.write('content-length: 2\r\n\r\n{}');
    await once(socket, 'data');
    return { between };
  }

  it('stamps the request when its first byte was read, not when its headers were complete', async () => {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const first = await splitRequest(socket);
    // The same kept-alive connection: the second request has its own first byte.
    const second = await splitRequest(socket);
    socket.destroy();
    assert.equal(arrivals.length, 2);
    const [firstArrival = Number.NaN, secondArrival = Number.NaN] = arrivals;
    assert.ok(firstArrival < first.between, `arrived ${first.between - firstArrival} ms before the headers were complete`);
    assert.ok(secondArrival > first.between, 'the second request is not stamped with the first one’s start');
    assert.ok(secondArrival < second.between, `arrived ${second.between - secondArrival} ms before the headers were complete`);
  });
});
