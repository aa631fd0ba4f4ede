import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createUpstreamHttpClient, type UpstreamHttpClient } from './upstream-http-client.ts';
import { upstreamWaitMs, type UpstreamWait } from './upstream-wait.ts';

/** Keeps the event loop busy (no I/O, no timers) for `ms`, as a long synchronous piece of llmux work would. */
function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('upstreamWaitMs', () => {
  it('counts from the request having left whole to the answer having ended', () => {
    assert.equal(upstreamWaitMs({ sentAt: 12, endedAt: 40, connecting: false }, 10, 50), 28);
  });
  it('counts from the dispatch when the request had to connect first', () => {
    assert.equal(upstreamWaitMs({ sentAt: 30, endedAt: 40, connecting: true }, 10, 50), 30);
  });
  it('falls back to dispatch → now when the end was not seen', () => {
    assert.equal(upstreamWaitMs({ sentAt: 12, endedAt: Number.NaN, connecting: false }, 10, 50), 40);
    assert.equal(upstreamWaitMs(undefined, 10, 50), 40);
  });
});

describe('upstream wait measured by the HTTP client', () => {
  let server: Server;
  let origin: string;
  let client: UpstreamHttpClient;
  const HOLD_MS = 20;
  // Node may fire a timer up to a millisecond early by performance.now() (the event loop's clock is
  // read once per turn), so the upstream's own hold can measure just under HOLD_MS.
  const AT_LEAST_MS = HOLD_MS - 1;
  before(async () => {
    // Answers each request HOLD_MS after reading it whole: at least that much is upstream wait.
    server = createServer((request, response) => {
      request.resume();
      request.once('end', () => setTimeout(() => response.end('{"ok":true}'), HOLD_MS));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = createUpstreamHttpClient({ environment: {} });
  });
  after(async () => {
    await client.close();
    server.close();
  });

  async function timedRequest(blockAfterDispatchMs: number): Promise<{ wait: UpstreamWait; elapsed: number }> {
    const wait: UpstreamWait = { ms: 0, reported: false };
    const startedAt = performance.now();
    const pending = client.request({ url: `${origin}/v1/chat`, method: 'POST', body: '{}', signal: new AbortController().signal, wait });
    // llmux's own synchronous work after handing the request over: undici writes the request on a
    // reused connection only once it is done, so it is no upstream wait.
    blockFor(blockAfterDispatchMs);
    const response = await pending;
    await response.body.json();
    return { wait, elapsed: performance.now() - startedAt };
  }

  it('reports the wait, at least the time the upstream held the answer and no more than the call', async () => {
    const { wait, elapsed } = await timedRequest(0);
    assert.equal(wait.reported, true);
    assert.ok(wait.ms >= AT_LEAST_MS, `wait ${wait.ms} ms, upstream held ${HOLD_MS} ms`);
    assert.ok(wait.ms <= elapsed, `wait ${wait.ms} ms, call ${elapsed} ms`);
  });

  it('leaves out the time before the request was written on a kept-alive connection', async () => {
    await timedRequest(0);
    const blocked = 40;
    const { wait, elapsed } = await timedRequest(blocked);
    assert.ok(wait.ms >= AT_LEAST_MS, `wait ${wait.ms} ms, upstream held ${HOLD_MS} ms`);
    assert.ok(wait.ms <= elapsed - blocked, `wait ${wait.ms} ms includes the ${blocked} ms before the request was written (call ${elapsed} ms)`);
  });
});
