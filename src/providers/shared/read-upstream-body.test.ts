import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { readUpstreamJson, readUpstreamText } from './read-upstream-body.ts';
import type { UpstreamBody } from './upstream-body.ts';
import type { UpstreamResponse } from './upstream-http-client.ts';

const URL_READ = 'https://api.example.com/v1/chat/completions';

function responseWith(text: () => Promise<string>): UpstreamResponse {
  const body: UpstreamBody = {
    text,
    json: () => text().then((value) => JSON.parse(value) as unknown),
    bytes: () => text().then((value) => new TextEncoder().encode(value)),
    chunks: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }) }),
    [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }),
    drain: () => Promise.resolve(),
    destroy: () => undefined,
  };
  return { status: 200, headers: {}, body };
}

function reset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}

test('a whole body reads as text and as JSON', async () => {
  assert.equal(await readUpstreamText(responseWith(() => Promise.resolve('{"a":1}')), URL_READ), '{"a":1}');
  assert.deepEqual(await readUpstreamJson(responseWith(() => Promise.resolve('{"a":1}')), URL_READ), { a: 1 });
});

test('a read that fails, later or at once, is a transport error naming the host, for text and JSON alike', async () => {
  for (const read of [readUpstreamText, readUpstreamJson]) {
    for (const text of [() => Promise.reject(reset()), (): Promise<string> => { throw reset(); }]) {
      await assert.rejects(read(responseWith(text), URL_READ), (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assert.equal(error.message, 'connection to api.example.com failed: connection reset (read ECONNRESET)');
        return true;
      });
    }
  }
});

test('a body that is not JSON is the upstream fault, shown in part, and not a transport error', async () => {
  const long = 'x'.repeat(300);
  await assert.rejects(readUpstreamJson(responseWith(() => Promise.resolve(long)), URL_READ), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.kind, 'upstream');
    assert.equal(error.message, `the upstream answered HTTP 200 with a body that is not JSON: ${'x'.repeat(200)}…`);
    return true;
  });
});
