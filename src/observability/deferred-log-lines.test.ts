import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { flushLogs } from './create-logger.ts';
import { writeDeferredLogLinesNow, writeLogLineLater } from './deferred-log-lines.ts';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('writeLogLineLater', () => {
  it('writes nothing in the turn the line was queued in, then every line in order once the loop has turned', async () => {
    const written: string[] = [];
    writeLogLineLater(() => written.push('a'));
    writeLogLineLater(() => written.push('b'));
    assert.deepEqual(written, []);
    await turn();
    assert.deepEqual(written, [], 'an immediate queued after the lines runs before them');
    await turn();
    assert.deepEqual(written, ['a', 'b']);
  });

  it('keeps writing the lines after one whose writing throws, and says on stderr that a line was lost', async (context) => {
    const written: string[] = [];
    const reported: string[] = [];
    context.mock.method(process.stderr, 'write', (text: string) => reported.push(text) > 0);
    writeLogLineLater(() => written.push('a'));
    writeLogLineLater(() => {
      throw new Error('logger closed');
    });
    writeLogLineLater(() => written.push('c'));
    await turn();
    await turn();
    context.mock.restoreAll();
    assert.deepEqual(written, ['a', 'c']);
    assert.deepEqual(reported, ['llmux: an access log line could not be written: logger closed\n']);
  });

  it('writes what waits at once when asked (exit), and nothing twice', async () => {
    const written: string[] = [];
    writeLogLineLater(() => written.push('a'));
    writeDeferredLogLinesNow();
    assert.deepEqual(written, ['a']);
    await turn();
    await turn();
    assert.deepEqual(written, ['a']);
  });

  it('is written by the exit flush of the logs (flushLogs), before the process can end', () => {
    const written: string[] = [];
    writeLogLineLater(() => written.push('last request'));
    flushLogs();
    assert.deepEqual(written, ['last request']);
  });

  it('reads data that arrived while a response was finishing before it writes that response’s line', async () => {
    // Two connections to one server. While the server handles data on the first (the loop's poll
    // phase), the client writes on the second: on loopback those bytes are readable before the
    // write returns, but the poll that is running has already collected its events. A line queued
    // in that handler must wait for the next poll, which reads the second connection first.
    const order: string[] = [];
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const accepted: Socket[] = [];
    server.on('connection', (socket) => accepted.push(socket));
    const first = connect(port, '127.0.0.1');
    const second = connect(port, '127.0.0.1');
    try {
      await Promise.all([once(first, 'connect'), once(second, 'connect')]);
      while (accepted.length < 2) await turn();
      const [serverFirst, serverSecond] = accepted as [Socket, Socket];
      const secondRead = new Promise<void>((resolve) => serverSecond.once('data', () => (order.push('second request read'), resolve())));
      serverFirst.once('data', () => {
        second.write('next request');
        writeLogLineLater(() => order.push('line written'));
      });
      first.write('last byte of a response');
      await secondRead;
      await turn();
      await turn();
      assert.deepEqual(order, ['second request read', 'line written']);
    } finally {
      first.destroy();
      second.destroy();
      for (const socket of accepted) socket.destroy();
      server.close();
    }
  });
});
