import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { OutcomeHub } from '../observability/outcome-hub.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import { attachRequestContext } from './request-context.ts';
import type { StreamBody } from './stream-body.ts';
import { writeStreamResponse } from './write-stream-response.ts';

/** What the route streams: made per request from its raw response and abort signal. */
type BodyFactory = (raw: ServerResponse, signal: AbortSignal) => StreamBody;

describe('writeStreamResponse', () => {
  let app: FastifyInstance;
  let origin = '';
  let makeBody: BodyFactory = () => ({ read: async () => undefined, close: async () => undefined });
  let openStreams = 0;
  const outcomes: RequestOutcome[] = [];
  let outcomeSeen: () => void = () => undefined;

  before(async () => {
    const hub = new OutcomeHub();
    hub.subscribe((outcome) => {
      outcomes.push(outcome);
      outcomeSeen();
    });
    app = Fastify();
    app.addHook('onRequest', async (request, reply) => {
      attachRequestContext(request, reply, hub);
      request.llmux.streams = { streamOpened: () => openStreams++, streamClosed: () => openStreams-- };
    });
    app.post('/stream', async (request, reply) => {
      if (request.headers['x-test-reply-headers'] !== undefined) {
        reply.header('x-custom', 'kept').header('vary', ['Origin', 'Accept']).header('content-type', 'text/plain').header('x-request-id', 'set-on-the-reply');
      }
      return writeStreamResponse(request, reply, 'text/event-stream', makeBody(reply.raw, request.llmux.controller.signal));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(() => app.close());

  /** The next outcome finalised. */
  const nextOutcome = (): Promise<void> => new Promise((resolve) => (outcomeSeen = resolve));

  /** Posts and reads the answer; `onData` sees the text so far and may destroy the response. */
  function post(onData: (sofar: string, response: IncomingMessage) => void = () => undefined, headers: Record<string, string> = {}): Promise<{ response: IncomingMessage; text: string }> {
    return new Promise((resolve, reject) => {
      const sent = httpRequest(`${origin}/stream`, { method: 'POST', headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          onData(text, response);
        });
        response.on('end', () => resolve({ response, text }));
        response.on('close', () => resolve({ response, text }));
      });
      sent.on('error', reject);
      sent.end();
    });
  }

  it('sends the headers set on the reply, each once, with the stream\'s own and the llmux headers winning over the same names', async () => {
    const reads = ['data: a\n\n'];
    makeBody = () => ({ read: async () => reads.shift(), close: async () => undefined });
    const finalised = nextOutcome();
    const { response, text } = await post(undefined, { 'x-test-reply-headers': '1' });
    await finalised;
    assert.equal(text, 'data: a\n\n');
    assert.equal(response.headers['x-custom'], 'kept');
    assert.equal(response.headers['vary'], 'Origin, Accept');
    assert.equal(response.headers['content-type'], 'text/event-stream');
    assert.notEqual(response.headers['x-request-id'], 'set-on-the-reply');
    const names = response.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
    for (const name of ['content-type', 'x-request-id', 'cache-control', 'x-custom']) assert.equal(names.filter((seen) => seen === name).length, 1, name);
  });

  it('writes what each read gives, escaping line separators, with the llmux headers, and closes the body once', async () => {
    const reads = ['data: a\n\n', '', 'data: "\u2028"\n\n'];
    let closed = 0;
    makeBody = () => ({
      read: async () => reads.shift(),
      close: async () => void closed++,
    });
    const finalised = nextOutcome();
    const { response, text } = await post();
    assert.equal(text, 'data: a\n\ndata: "\\u2028"\n\n');
    assert.equal(response.headers['content-type'], 'text/event-stream');
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.ok(response.headers['x-request-id'] !== undefined && response.headers['x-llmux-overhead-ms'] !== undefined);
    await finalised;
    assert.equal(closed, 1);
    assert.equal(openStreams, 0);
    assert.deepEqual([outcomes.at(-1)?.streamed, outcomes.at(-1)?.bytesOut, outcomes.at(-1)?.result], [true, Buffer.byteLength(text), 'success']);
  });

  it('hands each chunk to the socket before it reads the next (no waiting for the next tick)', async () => {
    const reads = ['data: a\n\n', 'data: b\n\n', 'data: c\n\n'];
    const heldBack: number[] = [];
    makeBody = (raw) => ({
      read: async () => {
        // What the previous write left in the socket's own buffer, not yet given to the kernel.
        if (reads.length < 3) heldBack.push(raw.socket?.writableLength ?? -1);
        return reads.shift();
      },
      close: async () => undefined,
    });
    const finalised = nextOutcome();
    const { text } = await post();
    await finalised;
    assert.equal(text, 'data: a\n\ndata: b\n\ndata: c\n\n');
    assert.deepEqual(heldBack, [0, 0, 0]);
  });

  it('ends the response with the text a body says is its last, in the same socket write, before it closes the body', async () => {
    const reads = ['data: a\n\n', 'data: "\u2028"\n\n'];
    let socketWrites = 0;
    let endedBeforeClose: boolean | undefined;
    let readsAfterLast = 0;
    makeBody = (raw) => {
      // Count what goes to the socket's handle (one writev or write per flush of the corked socket).
      const socket = raw.socket as (NonNullable<typeof raw.socket> & { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void }) | null;
      if (socket !== null) {
        const write = socket._write.bind(socket);
        const writev = socket._writev.bind(socket);
        socket._write = (...args) => ((socketWrites += 1), write(...args));
        socket._writev = (...args) => ((socketWrites += 1), writev(...args));
      }
      return {
        get ended() {
          return reads.length === 0;
        },
        read: async () => {
          if (reads.length === 0) readsAfterLast += 1;
          return reads.shift();
        },
        close: async () => void (endedBeforeClose = raw.writableEnded),
      };
    };
    const finalised = nextOutcome();
    const { text } = await post();
    await finalised;
    assert.equal(text, 'data: a\n\ndata: "\\u2028"\n\n');
    // The headers with the first text, then the last text with the end of the body.
    assert.equal(socketWrites, 2);
    assert.deepEqual([endedBeforeClose, readsAfterLast, openStreams], [true, 0, 0]);
    assert.deepEqual([outcomes.at(-1)?.bytesOut, outcomes.at(-1)?.result], [Buffer.byteLength(text), 'success']);
  });

  it('writes the keep-alive while a read waits, and none once the body has ended', async () => {
    let pingsSeen: () => void = () => undefined;
    const twoPings = new Promise<void>((resolve) => (pingsSeen = resolve));
    let ended = false;
    const reads: (() => Promise<string | undefined>)[] = [async () => 'open\n', async () => twoPings.then(() => 'data\n'), async () => ((ended = true), undefined)];
    makeBody = () => ({
      read: () => (reads.shift() ?? (async () => undefined))(),
      close: async () => undefined,
      keepAlive: { intervalMs: 1, text: () => (ended ? 'late\n' : 'ping\n') },
    });
    const { text } = await post((sofar) => {
      if (sofar.split('ping\n').length > 2) pingsSeen();
    });
    assert.match(text, /^open\n(ping\n){2,}data\n$/);
  });

  it('waits for the client to take a full buffer before it reads on (backpressure)', async () => {
    const chunk = 'x'.repeat(1024 * 1024);
    let left = 8;
    let readWhileFull = 0;
    let drains = 0;
    makeBody = (raw) => {
      raw.on('drain', () => drains++);
      return {
        read: async () => {
          if (raw.writableNeedDrain) readWhileFull++;
          return left-- > 0 ? chunk : undefined;
        },
        close: async () => undefined,
      };
    };
    const { text } = await post();
    assert.equal(text.length, 8 * chunk.length);
    assert.ok(drains > 0, 'the client was slower than the body');
    assert.equal(readWhileFull, 0, 'no read while the client’s buffer was full');
  });

  it('stops reading and closes the body when the client goes away', async () => {
    let reads = 0;
    let closed = 0;
    makeBody = (_raw, signal) => ({
      read: async () => {
        reads += 1;
        if (reads === 1) return 'first\n';
        // The upstream read ends when the request's signal fires, as an upstream call does.
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return 'after the client left\n';
      },
      close: async () => void closed++,
    });
    const finalised = nextOutcome();
    const { text } = await post((_sofar, response) => response.destroy());
    assert.equal(text, 'first\n');
    await finalised;
    assert.deepEqual([reads, closed, openStreams], [2, 1, 0]);
    assert.equal(outcomes.at(-1)?.result, 'client_abort');
  });
});
